using System.Text.Json.Nodes;
using FsCheck.Xunit;
using SkyRay.Fleet.Catalog;
using SkyRay.Fleet.Config;
using SkyRay.Placement.Planning;
using SkyRay.Placement.Tests.Builders;

namespace SkyRay.Placement.Tests;

/// <summary>
/// Invariants of plans of random stack configs (<see cref="RandomStack"/>: several worker groups, raw specs, spot and tainted
/// pools, existing clusters, every kind of policy), on a first plan and on a re-plan after an edit of the config. Each rule is
/// checked from the config as written (labels, taints, tolerations, splits), not from the planner's own verdicts. FsCheck
/// picks the seeds; a failure prints the seed and the edit.
/// </summary>
public sealed class RandomStackProperties
{
    [Property(MaxTest = 60)]
    public void A_first_plan_keeps_every_rule_of_the_config(int seed)
    {
        var stack = RandomStack.Generate(seed);
        var spec = stack.Load();
        var plan = FleetPlanner.Plan(spec);

        Assert.Empty(Broken(stack, spec, plan).Select(p => $"seed {seed}: {p}"));
    }

    [Property(MaxTest = 60)]
    public void A_re_plan_after_an_edit_keeps_every_rule_and_leaves_untouched_workloads_where_they_still_fit(int seed)
    {
        var stack = RandomStack.Generate(seed);
        var first = FleetPlanner.Plan(stack.Load());
        var (edited, edit, touched) = stack.Change(seed);
        var spec = edited.Load();
        var plan = FleetPlanner.Plan(spec, PlanJson.Read(PlanJson.Write(first)));

        var problems = Broken(edited, spec, plan).ToList();

        // A resized workload keeps its clusters and may take more of them; workloads it shares a cluster with then stay only
        // while they still fit, so they count as touched too.
        var affected = new HashSet<string>(touched);
        foreach (var resized in touched.Where(t => edit.StartsWith("resize", StringComparison.Ordinal) && first.Placements.ContainsKey(t)))
        {
            var shared = first.Placements[resized].Copies.Select(c => c.Cluster).ToHashSet();
            affected.UnionWith(first.Placements.Values.Where(p => p.Copies.Any(c => shared.Contains(c.Cluster))).Select(p => p.Workload));
        }

        // Stability (docs/placement.md): a workload the edit did not touch keeps each copy the previous plan gave it while
        // that cluster is still there and still allowed by the workload's policy. A single-copy workload gets no other
        // copy; a spread one (Duplicate, Divide) may gain copies on clusters that now fit.
        foreach (var (name, before) in first.Placements)
        {
            if (affected.Contains(name) || !before.IsPlaced || !plan.Placements.TryGetValue(name, out var after))
            {
                continue;
            }

            var workload = edited.Workloads[name]!.AsObject();
            var policy = PolicyOf(workload);
            var kept = before.Copies.Select(c => c.Cluster)
                .Where(c => edited.Clusters[c] is JsonObject still && Allows(edited, policy, c, still))
                .ToList();
            var now = after.Copies.Select(c => c.Cluster).ToList();
            var spread = policy is "dup" or "dup-zone" or "divide";
            if (kept.Except(now).Any() || (!spread && kept.Count == before.Copies.Length && !now.SequenceEqual(kept)))
            {
                problems.Add($"{name} moved from [{string.Join(", ", before.Copies.Select(c => c.Cluster))}] to [{string.Join(", ", now)}] ({after.UnplacedReason})");
            }
        }

        Assert.True(problems.Count == 0, $"seed {seed}, edit '{edit}':\n{string.Join("\n", problems)}");
    }

    [Fact]
    public void The_random_stacks_exercise_every_shape_and_outcome()
    {
        var stacks = Enumerable.Range(1, 80).Select(RandomStack.Generate).ToList();
        var plans = stacks.Select(s => (Stack: s, Spec: s.Load())).Select(s => (s.Stack, s.Spec, Plan: FleetPlanner.Plan(s.Spec))).ToList();
        var copies = plans.SelectMany(p => p.Plan.Placements.Values.SelectMany(w => w.Copies.Select(c => (p.Stack, p.Spec, Workload: w, Copy: c)))).ToList();

        Assert.Contains(copies, c => c.Spec.Clusters[c.Copy.Cluster].Provider == CloudProvider.Existing);
        Assert.Contains(copies, c => c.Copy.GroupPools.ContainsValue("cpuspot"));
        Assert.Contains(copies, c => c.Copy.GroupPools.ContainsValue("ded"));
        Assert.Contains(copies, c => c.Copy.GroupPools.ContainsValue("gpu"));
        Assert.Contains(copies, c => c.Spec.Workloads[c.Workload.Workload].RawSpec is not null);
        Assert.Contains(copies, c => c.Spec.Workloads[c.Workload.Workload].Demand.Groups.Length >= 4);
        Assert.Contains(copies, c => c.Copy.Tier == LaunchTier.CreateCluster);
        foreach (var policy in RandomStack.PolicyNames)
        {
            Assert.Contains(copies, c => c.Workload.Policy == policy);
        }

        Assert.Contains(copies, c => c.Workload.Policy is null);
        Assert.Contains(plans, p => p.Plan.Placements.Values.Any(w => w.Policy == "divide" && w.Copies.Length == 2));
        Assert.Contains(plans, p => p.Plan.Placements.Values.Any(w => w.Policy == "dup" && w.Copies.Length >= 2));
        Assert.Contains(plans, p => p.Plan.Unplaced.Any());
    }

    /// <summary>Every rule of the config the plan breaks, in words.</summary>
    private static IEnumerable<string> Broken(RandomStack stack, FleetSpec spec, FleetPlan plan)
    {
        Assert.Equal(spec.Workloads.Keys, plan.Placements.Keys);
        foreach (var placement in plan.Placements.Values)
        {
            var name = placement.Workload;
            var workload = stack.Workloads[name]!.AsObject();
            var policy = PolicyOf(workload);
            if (!placement.IsPlaced && string.IsNullOrWhiteSpace(placement.UnplacedReason))
            {
                yield return $"{name} is unplaced without a reason";
            }

            if (placement.Policy != policy)
            {
                yield return $"{name} was placed by policy {placement.Policy ?? "none"}, the config gives {policy ?? "none"}";
            }

            foreach (var copy in placement.Copies)
            {
                var cluster = stack.Clusters[copy.Cluster]!.AsObject();
                if (!Allows(stack, policy, copy.Cluster, cluster))
                {
                    yield return $"{name} has a copy on {copy.Cluster}, which policy {policy} does not allow";
                }

                if ((string)cluster["provider"]! == "existing" && copy.Tier == LaunchTier.CreateCluster)
                {
                    yield return $"{name} waits for existing cluster {copy.Cluster} to be created";
                }

                foreach (var group in spec.Workloads[name].Demand.Groups)
                {
                    var pool = cluster["nodePools"]!.AsArray().Single(p => (string?)p!["name"] == copy.GroupPools[group.Group])!;
                    foreach (var taint in Taints(cluster, pool))
                    {
                        if (!Tolerated(workload, taint, group.Pod.Gpus > 0))
                        {
                            yield return $"{name}/{group.Group} on {copy.Cluster}/{pool["name"]} does not tolerate {taint.Key}={taint.Value}:{taint.Effect}";
                        }
                    }
                }
            }

            if (policy == "divide" && placement.IsPlaced)
            {
                foreach (var group in RandomStack.WorkerGroups(workload))
                {
                    var groupName = (string)(group!["name"] ?? group["groupName"])!;
                    var asked = (int)group["replicas"]!;
                    var given = placement.Copies.Sum(c => c.WorkerReplicas[groupName]);
                    if (given != asked)
                    {
                        yield return $"{name}/{groupName}: divided into {given} replicas, the config asks {asked}";
                    }
                }
            }

            if (policy == "dup-zone")
            {
                var zones = placement.Copies.Select(c => (string?)stack.Clusters[c.Cluster]!["labels"]!["zone"]).ToList();
                if (zones.Distinct().Count() != zones.Count)
                {
                    yield return $"{name}: two Duplicate copies in one zone domain ({string.Join(", ", zones)})";
                }
            }
        }

        // groupBy: a team's grouped workloads that are placed share one cluster.
        foreach (var team in plan.Placements.Values
            .Where(p => p.IsPlaced && PolicyOf(stack.Workloads[p.Workload]!.AsObject()) == "grouped")
            .GroupBy(p => (string?)stack.Workloads[p.Workload]!["labels"]!["team"]))
        {
            var clusters = team.SelectMany(p => p.Copies.Select(c => c.Cluster)).Distinct().ToList();
            if (clusters.Count > 1)
            {
                yield return $"team {team.Key}'s grouped workloads are split over {string.Join(", ", clusters)}";
            }
        }

        foreach (var problem in Overcommitted(spec, plan))
        {
            yield return problem;
        }

        foreach (var (name, cluster) in plan.Clusters)
        {
            if ((string?)stack.Clusters[name]!["provider"] == "existing" && cluster.State != ClusterState.Active)
            {
                yield return $"existing cluster {name} is {cluster.State}";
            }
        }
    }

    private static string? PolicyOf(JsonObject workload) =>
        (string?)workload["policy"] ?? (string?)workload["labels"]?[RandomStack.PolicyLabel];

    /// <summary>Whether the named policy allows the cluster, from the cluster's labels as configured.</summary>
    private static bool Allows(RandomStack stack, string? policy, string name, JsonObject cluster)
    {
        var labels = cluster["labels"]!;
        return policy switch
        {
            "pinned" => (string?)labels["experiments"] == "on",
            "prod" or "dup" => (string?)labels["cluster.class"] == "production",
            "ordered" => (string)cluster["provider"]! != "existing",
            "divide" => stack.DivideClusters.Contains(name),
            _ => true,
        };
    }

    /// <summary>
    /// A pool's taints as the nodes carry them (docs/config.md, nodePools[].taints): the configured ones, the GPU taint every
    /// cloud puts on GPU nodes (EKS and AKS through SkyRay, GKE itself), and the AKS spot taint. Only the effects that keep
    /// pods off (NoSchedule, NoExecute).
    /// </summary>
    private static IEnumerable<(string Key, string? Value, string Effect)> Taints(JsonObject cluster, JsonNode pool)
    {
        foreach (var taint in pool["taints"]?.AsArray() ?? [])
        {
            yield return ((string)taint!["key"]!, (string?)taint["value"], (string)taint["effect"]!);
        }

        if ((string?)pool["name"] == "gpu")
        {
            yield return ("nvidia.com/gpu", "present", "NoSchedule");
        }

        if ((string?)cluster["provider"] == "azure" && pool["spot"]?.GetValue<bool>() == true)
        {
            yield return ("kubernetes.azure.com/scalesetpriority", "spot", "NoSchedule");
        }
    }

    /// <summary>
    /// Kubernetes' toleration rule, over the workload's tolerations and the ones every pod gets (docs/placement.md, taints):
    /// GPU pods tolerate the GPU taint, and every pod the AKS spot taint (so spot pools behave alike on every cloud).
    /// </summary>
    private static bool Tolerated(JsonObject workload, (string Key, string? Value, string Effect) taint, bool gpuPod)
    {
        if ((gpuPod && taint.Key == "nvidia.com/gpu") || taint == ("kubernetes.azure.com/scalesetpriority", "spot", "NoSchedule"))
        {
            return true;
        }

        return (workload["tolerations"]?.AsArray() ?? []).Any(t =>
        {
            var effect = (string?)t!["effect"];
            if (effect is not null && effect != taint.Effect)
            {
                return false;
            }

            var key = (string?)t["key"];
            return (string?)t["operator"] == "Exists"
                ? key is null || key == taint.Key
                : key == taint.Key && (string?)t["value"] == taint.Value;
        });
    }

    private static IEnumerable<string> Overcommitted(FleetSpec spec, FleetPlan plan)
    {
        foreach (var cluster in plan.Clusters.Values)
        {
            var clusterSpec = spec.Clusters[cluster.Cluster];
            foreach (var pool in cluster.Pools)
            {
                var pods = (from placement in plan.Placements.Values
                            from copy in placement.Copies.Where(c => c.Cluster == cluster.Cluster)
                            from g in spec.Workloads[placement.Workload].Demand.Groups
                            where copy.GroupPools[g.Group] == pool.Pool
                            // Worker groups as this copy runs them (Divide splits them); the head and a RayJob's submitter once.
                            from k in Enumerable.Range(0, copy.WorkerReplicas.TryGetValue(g.Group, out var workers) ? workers : g.Count)
                            select g.Pod).ToList();
                if (pods.Count == 0)
                {
                    continue;
                }

                var type = spec.Catalog.TryGet(clusterSpec.CatalogProvider!, pool.InstanceType, out var t) ? t : throw new InvalidOperationException(pool.InstanceType);
                var cpu = SystemReserve.AllocatableCpuMillis(type);
                var mem = SystemReserve.AllocatableMemoryBytes(type);
                if (pool.DesiredNodes > pool.MaxNodes ||
                    pods.Sum(p => p.CpuMillis) > cpu * pool.DesiredNodes ||
                    pods.Sum(p => p.MemoryBytes) > mem * pool.DesiredNodes ||
                    pods.Sum(p => p.Gpus) > type.Gpus * pool.DesiredNodes ||
                    pods.Any(p => p.CpuMillis > cpu || p.MemoryBytes > mem || p.Gpus > type.Gpus))
                {
                    yield return $"{cluster.Cluster}/{pool.Pool} is overcommitted ({pods.Count} pods on {pool.DesiredNodes} of at most {pool.MaxNodes} {type.Name})";
                }
            }
        }
    }
}
