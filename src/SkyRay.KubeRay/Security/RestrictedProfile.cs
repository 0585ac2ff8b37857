using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Workloads;

namespace SkyRay.KubeRay.Security;

/// <summary>One control of the Pod Security Standards a pod does not meet.</summary>
/// <param name="Control">The control's name in the standard (e.g. <c>Privilege Escalation</c>).</param>
/// <param name="Path">The offending field, under the path given to <see cref="RestrictedProfile.Check"/>.</param>
/// <param name="Problem">What is wrong, in plain words.</param>
public sealed record PodSecurityViolation(string Control, string Path, string Problem)
{
    /// <inheritdoc />
    public override string ToString() => $"{Path}: {Control}: {Problem}";
}

/// <summary>
/// The Kubernetes Pod Security Standards <c>restricted</c> profile (which includes <c>baseline</c>), written from
/// kubernetes.io/docs/concepts/security/pod-security-standards as the Pod Security admission controller applies it
/// to a pod. Every control of both levels is checked on the pod and on every container, init container and
/// ephemeral container.
/// </summary>
public static class RestrictedProfile
{
    /// <summary>Capabilities baseline allows adding (the container runtimes' default set).</summary>
    public static ImmutableArray<string> BaselineCapabilities { get; } =
        ["AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"];

    /// <summary>Sysctls baseline allows (the "safe" set).</summary>
    public static ImmutableArray<string> SafeSysctls { get; } =
    [
        "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies",
        "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
        "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes",
    ];

    /// <summary>SELinux types baseline allows.</summary>
    public static ImmutableArray<string> SeLinuxTypes { get; } = ["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"];

    /// <summary>Volume types restricted allows.</summary>
    public static ImmutableArray<string> VolumeTypes { get; } =
        ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];

    private const string AppArmorAnnotationPrefix = "container.apparmor.security.beta.kubernetes.io/";

    /// <summary>Checks a pod template (<c>metadata</c> and <c>spec</c>) against the restricted profile.</summary>
    /// <param name="template">The pod template.</param>
    /// <param name="path">Its path, prefixed to every violation's path.</param>
    /// <returns>Every violation, in field order; empty when the pod passes.</returns>
    public static ImmutableArray<PodSecurityViolation> Check(JsonObject template, string path)
    {
        ArgumentNullException.ThrowIfNull(template);
        var found = ImmutableArray.CreateBuilder<PodSecurityViolation>();
        void Add(string control, string at, string problem) => found.Add(new PodSecurityViolation(control, at, problem));

        if (template["metadata"] is JsonObject { } metadata && metadata["annotations"] is JsonObject annotations)
        {
            foreach (var (key, value) in annotations.Where(a => a.Key.StartsWith(AppArmorAnnotationPrefix, StringComparison.Ordinal)))
            {
                var profile = Text(value) ?? "";
                if (profile != "runtime/default" && !profile.StartsWith("localhost/", StringComparison.Ordinal))
                {
                    Add("AppArmor", $"{path}.metadata.annotations[\"{key}\"]", $"AppArmor profile '{profile}' is neither runtime/default nor localhost/*");
                }
            }
        }

        var specPath = path + ".spec";
        if (template["spec"] is not JsonObject spec)
        {
            return found.ToImmutable();
        }

        foreach (var field in new[] { "hostNetwork", "hostPID", "hostIPC" })
        {
            if (IsTrue(spec[field]))
            {
                Add("Host Namespaces", $"{specPath}.{field}", $"{field} shares the node's namespace");
            }
        }

        var podContext = spec["securityContext"] as JsonObject;
        var podContextPath = specPath + ".securityContext";
        CheckCommonContext(podContext, podContextPath, Add);
        if (podContext?["sysctls"] is JsonArray sysctls)
        {
            for (var i = 0; i < sysctls.Count; i++)
            {
                var name = Text(sysctls[i]?["name"]) ?? "";
                if (!SafeSysctls.Contains(name))
                {
                    Add("Sysctls", $"{podContextPath}.sysctls[{Index(i)}].name", $"sysctl '{name}' is not in the safe set");
                }
            }
        }

        if (spec["volumes"] is JsonArray volumes)
        {
            for (var i = 0; i < volumes.Count; i++)
            {
                if (volumes[i] is not JsonObject volume)
                {
                    continue;
                }

                foreach (var type in volume.Select(p => p.Key).Where(k => k != "name"))
                {
                    if (type == "hostPath")
                    {
                        Add("HostPath Volumes", $"{specPath}.volumes[{Index(i)}].hostPath", "hostPath volumes expose the node's file system");
                    }
                    else if (!VolumeTypes.Contains(type))
                    {
                        Add("Volume Types", $"{specPath}.volumes[{Index(i)}].{type}", $"volume type '{type}' is not one of {string.Join(", ", VolumeTypes)}");
                    }
                }
            }
        }

        var podNonRoot = IsTrue(podContext?["runAsNonRoot"]);
        var podSeccomp = Text(podContext?["seccompProfile"]?["type"]);
        var podSeccompOk = podSeccomp is "RuntimeDefault" or "Localhost";
        if (podContext?["runAsNonRoot"] is { } nonRoot && !IsTrue(nonRoot))
        {
            Add("Running as Non-root", podContextPath + ".runAsNonRoot", "runAsNonRoot must be true");
        }

        if (podSeccomp is not null && !podSeccompOk)
        {
            Add("Seccomp", podContextPath + ".seccompProfile.type", $"seccomp profile '{podSeccomp}' is neither RuntimeDefault nor Localhost");
        }

        foreach (var (container, containerPath) in RayPodTemplates.Containers(spec, specPath))
        {
            var context = container["securityContext"] as JsonObject;
            var contextPath = containerPath + ".securityContext";
            CheckCommonContext(context, contextPath, Add);
            if (IsTrue(context?["privileged"]))
            {
                Add("Privileged Containers", contextPath + ".privileged", "privileged containers have the node's full access");
            }

            if (context?["procMount"] is { } procMount && Text(procMount) is not (null or "Default"))
            {
                Add("/proc Mount Type", contextPath + ".procMount", "procMount must be Default");
            }

            if (container["ports"] is JsonArray ports)
            {
                for (var i = 0; i < ports.Count; i++)
                {
                    if (ports[i]?["hostPort"] is JsonValue hostPort && hostPort.GetValueKind() == JsonValueKind.Number && hostPort.ToJsonString() != "0")
                    {
                        Add("Host Ports", $"{containerPath}.ports[{Index(i)}].hostPort", "host ports bind the node's network");
                    }
                }
            }

            var added = context?["capabilities"]?["add"] as JsonArray ?? [];
            var dropped = context?["capabilities"]?["drop"] as JsonArray ?? [];
            foreach (var capability in added.Select(Text).OfType<string>())
            {
                if (capability != "NET_BIND_SERVICE")
                {
                    Add(
                        BaselineCapabilities.Contains(capability) ? "Capabilities (restricted)" : "Capabilities",
                        contextPath + ".capabilities.add",
                        $"capability '{capability}' may not be added (only NET_BIND_SERVICE)");
                }
            }

            if (!dropped.Select(Text).Contains("ALL"))
            {
                Add("Capabilities (restricted)", contextPath + ".capabilities.drop", "every capability must be dropped (drop: [ALL])");
            }

            if (context?["allowPrivilegeEscalation"] is not JsonValue escalation || escalation.GetValueKind() != JsonValueKind.False)
            {
                Add("Privilege Escalation", contextPath + ".allowPrivilegeEscalation", "allowPrivilegeEscalation must be false");
            }

            if (context?["runAsNonRoot"] is { } containerNonRoot)
            {
                if (!IsTrue(containerNonRoot))
                {
                    Add("Running as Non-root", contextPath + ".runAsNonRoot", "runAsNonRoot must be true");
                }
            }
            else if (!podNonRoot)
            {
                Add("Running as Non-root", contextPath + ".runAsNonRoot", "runAsNonRoot must be true here or in the pod's securityContext");
            }

            var seccomp = Text(context?["seccompProfile"]?["type"]);
            if (seccomp is null ? !podSeccompOk : seccomp is not ("RuntimeDefault" or "Localhost"))
            {
                Add("Seccomp", contextPath + ".seccompProfile.type", "seccomp profile must be RuntimeDefault or Localhost, here or in the pod's securityContext");
            }
        }

        return found.ToImmutable();
    }

    /// <summary>Controls that apply alike to the pod's and each container's security context.</summary>
    private static void CheckCommonContext(JsonObject? context, string contextPath, Action<string, string, string> add)
    {
        if (context is null)
        {
            return;
        }

        if (IsTrue(context["windowsOptions"]?["hostProcess"]))
        {
            add("HostProcess", contextPath + ".windowsOptions.hostProcess", "Windows host process containers have the node's full access");
        }

        if (Text(context["appArmorProfile"]?["type"]) is { } appArmor && appArmor is not ("RuntimeDefault" or "Localhost"))
        {
            add("AppArmor", contextPath + ".appArmorProfile.type", $"AppArmor profile type '{appArmor}' is neither RuntimeDefault nor Localhost");
        }

        if (context["seLinuxOptions"] is JsonObject seLinux)
        {
            if (Text(seLinux["type"]) is { } type && !SeLinuxTypes.Contains(type))
            {
                add("SELinux", contextPath + ".seLinuxOptions.type", $"SELinux type '{type}' is not allowed");
            }

            foreach (var field in new[] { "user", "role" })
            {
                if (Text(seLinux[field]) is { Length: > 0 })
                {
                    add("SELinux", $"{contextPath}.seLinuxOptions.{field}", $"a custom SELinux {field} is not allowed");
                }
            }
        }

        if (Text(context["seccompProfile"]?["type"]) == "Unconfined")
        {
            add("Seccomp (baseline)", contextPath + ".seccompProfile.type", "seccomp profile Unconfined turns seccomp off");
        }

        if (context["runAsUser"] is JsonValue user && user.GetValueKind() == JsonValueKind.Number && user.ToJsonString() == "0")
        {
            add("Running as Non-root user", contextPath + ".runAsUser", "runAsUser 0 is root");
        }
    }

    private static bool IsTrue(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    private static string? Text(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static string Index(int i) => i.ToString(CultureInfo.InvariantCulture);
}
