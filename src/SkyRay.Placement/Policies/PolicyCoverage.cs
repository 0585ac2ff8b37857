using System.Collections.Immutable;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Policies;
using SkyRay.Fleet.Workloads;
using SkyRay.Placement.Labels;

namespace SkyRay.Placement.Policies;

/// <summary>Which policy covers a workload, or why none can.</summary>
/// <param name="Policy">The covering policy, or null for the default (available capacity).</param>
/// <param name="Problem">Why the workload cannot be placed (two policies claim it, or it names an unknown policy), else null.</param>
public sealed record PolicyCoverage(SchedulePolicy? Policy, string? Problem);

/// <summary>
/// Nova's rule for which SchedulePolicy covers a workload: the policy the workload names, else every policy whose
/// namespaceSelector matches the workload's namespace AND one of whose resourceSelectors (OR-ed) matches its labels.
/// An absent namespaceSelector is no namespace condition and absent resourceSelectors are no label condition, but a
/// policy with neither selects nothing by itself: it only covers workloads that name it (otherwise a plain
/// "prefer gcp" policy would claim every workload). Two policies claiming one workload is an error naming both;
/// SkyRay never picks one silently.
/// </summary>
public static class PolicyResolver
{
    /// <summary>Resolves every workload of the spec.</summary>
    /// <param name="spec">The fleet.</param>
    /// <param name="diagnostics">Receives an error per conflicting or unknown policy reference.</param>
    /// <returns>Coverage by workload name.</returns>
    public static ImmutableSortedDictionary<string, PolicyCoverage> Resolve(FleetSpec spec, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var all = ResolveInOrder(spec, diagnostics);
        var result = ImmutableSortedDictionary.CreateBuilder<string, PolicyCoverage>(StringComparer.Ordinal);
        var i = 0;
        foreach (var name in spec.Workloads.Keys)
        {
            result[name] = all[i++];
        }

        return result.ToImmutable();
    }

    /// <summary>Like <see cref="Resolve"/>, as an array in the order of <see cref="FleetSpec.Workloads"/> (no per-name lookups for the planner).</summary>
    internal static PolicyCoverage[] ResolveInOrder(FleetSpec spec, DiagnosticBag diagnostics)
    {
        var byPolicy = spec.Policies.Values.ToDictionary(p => p.Name, p => new PolicyCoverage(p, null), StringComparer.Ordinal);
        var none = new PolicyCoverage(null, null);
        var selecting = spec.Policies.Values.Where(p => p.NamespaceSelector is not null || !p.ResourceSelectors.IsDefaultOrEmpty).ToArray();
        var namespaceMatch = new Dictionary<string, bool[]>(StringComparer.Ordinal);
        var result = new PolicyCoverage[spec.Workloads.Count];
        var at = 0;
        var claims = new List<SchedulePolicy>(2);
        foreach (var workload in spec.Workloads.Values)
        {
            if (workload.Policy is not null)
            {
                if (spec.Policies.TryGetValue(workload.Policy, out var named))
                {
                    result[at++] = byPolicy[named.Name];
                    continue;
                }

                var problem = $"names policy '{workload.Policy}', which is not defined";
                diagnostics.Error($"skyray:workloads.{workload.Name}.policy", problem, "define it under skyray:policies or skyray:policyFiles, or remove the policy field");
                result[at++] = new PolicyCoverage(null, problem);
                continue;
            }

            if (!namespaceMatch.TryGetValue(workload.Namespace, out var inNamespace))
            {
                var nsLabels = ClusterLabels.ForNamespace(workload.Namespace);
                inNamespace = [.. selecting.Select(p => p.NamespaceSelector is null || SelectorMatch.Matches(p.NamespaceSelector, nsLabels))];
                namespaceMatch[workload.Namespace] = inNamespace;
            }

            claims.Clear();
            for (var i = 0; i < selecting.Length; i++)
            {
                if (inNamespace[i] && SelectsResource(selecting[i], workload))
                {
                    claims.Add(selecting[i]);
                }
            }

            if (claims.Count == 1)
            {
                result[at++] = byPolicy[claims[0].Name];
            }
            else if (claims.Count == 0)
            {
                result[at++] = none;
            }
            else
            {
                var names = string.Join(" and ", claims.Select(c => $"'{c.Name}'"));
                var problem = $"policies {names} both select this workload";
                diagnostics.Error(
                    $"skyray:workloads.{workload.Name}",
                    problem,
                    "name one of them with 'policy:' on the workload, or narrow the namespaceSelector / resourceSelectors so only one matches");
                result[at++] = new PolicyCoverage(null, problem);
            }
        }

        return result;
    }

    /// <summary>True when a resource selector of the policy (OR-ed) matches the workload; no resource selectors means every workload of the namespace.</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="workload">The workload.</param>
    /// <returns>True on a match.</returns>
    public static bool SelectsResource(SchedulePolicy policy, WorkloadSpec workload)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(workload);
        if (policy.ResourceSelectors.IsDefaultOrEmpty)
        {
            return true;
        }

        foreach (var selector in policy.ResourceSelectors)
        {
            if (SelectorMatch.Matches(selector, workload.Labels))
            {
                return true;
            }
        }

        return false;
    }
}
