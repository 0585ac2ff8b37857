using System.Collections.Immutable;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Yaml;

namespace SkyRay.KubeRay.Api;

/// <summary>KubeRay <c>RayJobSpec</c> (<c>ray.io/v1</c>): a batch job and the Ray cluster it runs on.</summary>
/// <param name="Entrypoint">The command the submitter runs.</param>
/// <param name="RuntimeEnvYaml">Ray runtime environment (YAML text), or null.</param>
/// <param name="ShutdownAfterJobFinishes">Delete the Ray cluster when the job finishes.</param>
/// <param name="TtlSecondsAfterFinished">Seconds to keep the cluster after the job, or null.</param>
/// <param name="ActiveDeadlineSeconds">Job deadline, or null.</param>
/// <param name="SubmissionMode">K8sJobMode (default), HTTPMode, InteractiveMode or SidecarMode.</param>
/// <param name="RayClusterSpec">The job's own cluster, or null when <paramref name="ClusterSelector"/> picks an existing one.</param>
/// <param name="ClusterSelector">Labels selecting an existing RayCluster, or null.</param>
/// <param name="SubmitterPodTemplate">Submitter pod template (K8sJobMode), or null for KubeRay's default.</param>
/// <param name="BackoffLimit">Retries (each with a new cluster), or null.</param>
/// <param name="Suspend">Suspended (no cluster created), or null.</param>
public sealed record RayJobSpec(
    string? Entrypoint,
    string? RuntimeEnvYaml,
    bool? ShutdownAfterJobFinishes,
    int? TtlSecondsAfterFinished,
    int? ActiveDeadlineSeconds,
    string SubmissionMode,
    RayClusterSpec? RayClusterSpec,
    ImmutableSortedDictionary<string, string>? ClusterSelector,
    JsonObject? SubmitterPodTemplate = null,
    int? BackoffLimit = null,
    bool? Suspend = null)
{
    /// <summary>Reads and checks a RayJob spec (KubeRay's own validation rules included).</summary>
    /// <param name="obj">The spec object.</param>
    /// <param name="path">Its config path.</param>
    /// <param name="diagnostics">Where problems are reported.</param>
    /// <returns>The spec, or null when a required part is missing or unreadable.</returns>
    public static RayJobSpec? Read(JsonObject obj, string path, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var r = new FieldReader(obj, path, diagnostics);
        var entrypoint = r.String("entrypoint");
        var runtimeEnv = r.String("runtimeEnvYAML");
        var shutdown = r.Bool("shutdownAfterJobFinishes");
        var ttl = r.Int32("ttlSecondsAfterFinished", min: 0);
        var deadline = r.Int32("activeDeadlineSeconds", min: 1);
        var mode = r.Enum("submissionMode", KubeRayValues.SubmissionModes, "K8sJobMode")!;
        var clusterObj = r.Object("rayClusterSpec");
        var cluster = clusterObj is null ? null : RayClusterSpec.Read(clusterObj, r.At("rayClusterSpec"), diagnostics);
        var selector = r.StringMap("clusterSelector");
        var submitter = r.Object("submitterPodTemplate");
        var backoff = r.Int32("backoffLimit", min: 0);
        var suspend = r.Bool("suspend");
        var submitterConfig = r.Object("submitterConfig");
        r.Int32("preRunningDeadlineSeconds", min: 1);
        r.Number("entrypointNumCpus");
        r.Number("entrypointNumGpus");
        r.String("entrypointResources");
        r.String("jobId");
        r.StringMap("metadata");
        r.Enum("managedBy", RayClusterSpec.ManagedByValues);
        r.Known("deletionStrategy");
        r.WarnUnknown();

        var selectorMode = selector is { Count: > 0 };
        if (clusterObj is null && !selectorMode)
        {
            diagnostics.Error(r.At("rayClusterSpec"), "a RayJob needs either rayClusterSpec or clusterSelector", "add rayClusterSpec (a cluster for this job) or clusterSelector: {ray.io/cluster: <name>}");
        }

        if (selectorMode && string.IsNullOrEmpty(selector!.GetValueOrDefault(KubeRayValues.ClusterSelectorKey)))
        {
            diagnostics.Error(r.At("clusterSelector"), $"clusterSelector must name the cluster with key '{KubeRayValues.ClusterSelectorKey}'", $"write clusterSelector: {{{KubeRayValues.ClusterSelectorKey}: <raycluster name>}}");
        }

        if (selectorMode && suspend == true)
        {
            diagnostics.Error(r.At("suspend"), "a clusterSelector RayJob cannot be suspended");
        }

        if (selectorMode && backoff > 0)
        {
            diagnostics.Error(r.At("backoffLimit"), "backoffLimit does not work with clusterSelector (each retry needs a new cluster)");
        }

        if (mode == "SidecarMode")
        {
            if (selectorMode)
            {
                diagnostics.Error(r.At("clusterSelector"), "clusterSelector is not supported in SidecarMode", "use K8sJobMode or HTTPMode");
            }

            if (submitter is not null)
            {
                diagnostics.Error(r.At("submitterPodTemplate"), "SidecarMode does not support submitterPodTemplate", "remove it or use K8sJobMode");
            }

            if (submitterConfig is not null)
            {
                diagnostics.Error(r.At("submitterConfig"), "SidecarMode does not support submitterConfig", "remove it or use K8sJobMode");
            }
        }

        if (mode == "InteractiveMode" && backoff > 0)
        {
            diagnostics.Error(r.At("backoffLimit"), "backoffLimit does not work with InteractiveMode");
        }

        if (suspend == true && shutdown != true)
        {
            diagnostics.Error(r.At("suspend"), "a RayJob can be suspended only with shutdownAfterJobFinishes: true");
        }

        if (shutdown != true && ttl > 0)
        {
            diagnostics.Error(r.At("ttlSecondsAfterFinished"), "ttlSecondsAfterFinished needs shutdownAfterJobFinishes: true", "set shutdownAfterJobFinishes: true or remove the TTL");
        }

        if (runtimeEnv is not null)
        {
            var bag = new DiagnosticBag();
            var parsed = YamlJson.ParseSingle(runtimeEnv, r.At("runtimeEnvYAML"), bag);
            diagnostics.AddRange(bag.Items);
            if (!bag.HasErrors && parsed is not null and not JsonObject)
            {
                diagnostics.Error(r.At("runtimeEnvYAML"), "runtimeEnvYAML must be a YAML mapping (pip, env_vars, working_dir, …)");
            }
        }

        return new RayJobSpec(entrypoint, runtimeEnv, shutdown, ttl, deadline, mode, cluster, selector, submitter, backoff, suspend);
    }

    /// <summary>The spec as KubeRay JSON, keys in a fixed order.</summary>
    /// <returns>A new JSON object.</returns>
    public JsonObject ToJson() => ToJson(cloneTemplates: true);

    // cloneTemplates false: the group pod templates go into the result as they are (see HeadGroupSpec.ToJson(bool)).
    internal JsonObject ToJson(bool cloneTemplates)
    {
        var o = new JsonObject();
        if (ActiveDeadlineSeconds is not null)
        {
            o["activeDeadlineSeconds"] = ActiveDeadlineSeconds;
        }

        if (BackoffLimit is not null)
        {
            o["backoffLimit"] = BackoffLimit;
        }

        GroupChecks.WriteMap(o, "clusterSelector", ClusterSelector);
        if (Entrypoint is not null)
        {
            o["entrypoint"] = Entrypoint;
        }

        if (RayClusterSpec is not null)
        {
            o["rayClusterSpec"] = RayClusterSpec.ToJson(cloneTemplates);
        }

        if (RuntimeEnvYaml is not null)
        {
            o["runtimeEnvYAML"] = RuntimeEnvYaml;
        }

        if (ShutdownAfterJobFinishes is not null)
        {
            o["shutdownAfterJobFinishes"] = ShutdownAfterJobFinishes;
        }

        o["submissionMode"] = SubmissionMode;
        if (SubmitterPodTemplate is not null)
        {
            o["submitterPodTemplate"] = SubmitterPodTemplate.DeepClone();
        }

        if (Suspend is not null)
        {
            o["suspend"] = Suspend;
        }

        if (TtlSecondsAfterFinished is not null)
        {
            o["ttlSecondsAfterFinished"] = TtlSecondsAfterFinished;
        }

        return o;
    }
}
