namespace SkyRay.Testing;

/// <summary>The hand-computed trace simulation case, shared by the core's and the CLI's tests (values worked out in TraceSimulatorTests).</summary>
public static class HandTrace
{
    /// <summary>
    /// Two clusters with round prices: <c>home</c> (EKS, static: a $1/h CPU node always on, up to one $2/h GPU node) and
    /// <c>burst</c> (GKE, dynamic, suspends after 10 minutes idle: up to two $3/h GPU nodes). Control planes $0.10/h each.
    /// <c>train</c> is a RayJob: a head of 1 CPU and one worker with 1 L4 GPU.
    /// </summary>
    public const string Stack = """
        config:
          skyray:instanceTypes:
            test-cpu: {provider: aws, vCpus: 8, memoryGiB: 32, gpus: 0, hourlyUsd: 1.0}
            test-gpu: {provider: aws, vCpus: 8, memoryGiB: 32, gpus: 1, gpuType: L4, hourlyUsd: 2.0}
            test-gke-gpu: {provider: gcp, vCpus: 8, memoryGiB: 32, gpus: 1, gpuType: L4, hourlyUsd: 3.0}
          skyray:clusters:
            home:
              provider: aws
              region: us-east-1
              kubernetesVersion: "1.35"
              nodePools:
                - {name: cpu, instanceType: test-cpu, minNodes: 1, maxNodes: 1}
                - {name: gpu, instanceType: test-gpu, minNodes: 0, maxNodes: 1}
            burst:
              provider: gcp
              region: us-central1
              kubernetesVersion: "1.35"
              lifecycle: dynamic
              standby: {mode: suspend, idleAfter: 10m}
              nodePools:
                - {name: gpu, instanceType: test-gke-gpu, minNodes: 0, maxNodes: 2, zones: [us-central1-a]}
          skyray:workloads:
            train:
              kind: RayJob
              image: rayproject/ray:2.52.0-gpu
              # burst has GPU nodes only: the head tolerates their GPU taint.
              tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
              head: {cpu: 1, memory: 2Gi}
              workerGroups:
                - {name: w, cpu: 2, memory: 8Gi, gpu: 1, gpuType: L4, replicas: 1, minReplicas: 1, maxReplicas: 1}
              entrypoint: python train.py
        """;

    /// <summary>Three arrivals of <c>train</c> over three hours, a run every 10 minutes.</summary>
    public const string Trace = """
        trace: {start: "2026-03-02T00:00:00Z", end: 3h, tick: 10m}
        arrivals:
          - {at: 0m, workload: train, duration: 1h}
          - {at: 5m, workload: train, duration: 30m}
          - {at: 2h, workload: train, duration: 20m}
        """;
}
