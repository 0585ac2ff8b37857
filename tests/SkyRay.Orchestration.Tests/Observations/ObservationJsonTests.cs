using SkyRay.Fleet.Workloads;
using SkyRay.Orchestration.Observations;

namespace SkyRay.Orchestration.Tests.Observations;

/// <summary>The snapshot format (<c>skyray status --output json</c>, <c>--observed FILE</c>): versioned, and a bad entry is unknown, never absent.</summary>
public sealed class ObservationJsonTests
{
    private const string Snapshot = """
        {"observationFormat": 1, "observedAt": "2026-12-04T10:00:00Z",
         "clusters": {
           "gpu": {"reachable": true, "observedAt": "2026-12-04T10:00:00Z", "serverVersion": "v1.31.4", "nodes": {"gpu": 2},
             "rayObjects": [
               {"kind": "RayJob", "namespace": "ml", "name": "train", "workload": "train",
                "status": {"jobDeploymentStatus": "Complete", "jobStatus": "SUCCEEDED", "startTime": "2026-12-04T08:00:00Z", "endTime": "2026-12-04T09:41:07Z"}},
               {"kind": "RayService", "namespace": "serving", "name": "llm", "workload": "llm",
                "status": {"ready": "True", "numServeEndpoints": 2}, "serveAddresses": ["34.118.20.7"], "ongoingRequests": 0}],
             "queueWorkloads": [{"namespace": "ml", "name": "w1", "queue": "team-a", "state": "pending"}],
             "summary": {"state": "active"}},
           "lab": {"reachable": false, "observedAt": "2026-12-04T10:00:01Z", "problem": "no answer within 10s"}}}
        """;

    [Fact]
    public void A_snapshot_is_read_with_every_field_and_written_back_the_same()
    {
        var read = ObservationJson.Read(Snapshot, "--observed");

        Assert.True(read.Ok);
        Assert.Empty(read.Diagnostics);
        var gpu = read.Value!.Clusters["gpu"];
        Assert.Equal(Reachability.Reachable, gpu.Reachability);
        Assert.Equal(2, gpu.Nodes["gpu"]);
        Assert.Equal(new DateTimeOffset(2026, 12, 4, 9, 41, 7, TimeSpan.Zero), gpu.RayObjects.Single(o => o.Kind == RayKind.RayJob).EndTime);
        Assert.True(RayActivity.Serving(gpu.RayObjects.Single(o => o.Kind == RayKind.RayService)));
        Assert.Equal(QueueState.Pending, gpu.QueueWorkloads.Single().State);
        Assert.Equal("no answer within 10s", read.Value.Clusters["lab"].Problem);

        var again = ObservationJson.Read(ObservationJson.Write(read.Value).ToJsonString(), "again").Value!;
        Assert.Equal(ObservationJson.Write(read.Value).ToJsonString(), ObservationJson.Write(again).ToJsonString());
    }

    [Fact]
    public void A_snapshot_from_a_newer_SkyRay_is_refused()
    {
        var read = ObservationJson.Read("""{"observationFormat": 2, "clusters": {}}""", "--observed");

        Assert.False(read.Ok);
        Assert.Contains("newer SkyRay (format 2)", read.Diagnostics.Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Ray_object_that_cannot_be_read_makes_its_kind_unknown_rather_than_absent()
    {
        var read = ObservationJson.Read("""
            {"observationFormat": 1, "clusters": {"gpu": {"reachable": true, "observedAt": "2026-12-04T10:00:00Z",
              "rayObjects": [{"kind": "RayJob", "namespace": "ml"}, {"kind": "RayWidget", "name": "x", "namespace": "y"}]}}}
            """, "--observed");

        var gpu = read.Value!.Clusters["gpu"];
        Assert.Empty(gpu.RayObjects);
        Assert.Equal(["rayclusters", "rayjobs", "rayservices"], gpu.Unread);
        Assert.False(gpu.RayObjectsComplete);
        Assert.Equal(2, read.Diagnostics.Count);
        Assert.All(read.Diagnostics, d => Assert.StartsWith("--observed: clusters.gpu.rayObjects[", d.Path, StringComparison.Ordinal));
    }

    [Fact]
    public void A_time_that_is_not_a_time_is_unknown_with_a_warning()
    {
        var read = ObservationJson.Read("""
            {"observationFormat": 1, "clusters": {"gpu": {"reachable": true, "observedAt": "2026-12-04T10:00:00Z",
              "rayObjects": [{"kind": "RayJob", "namespace": "ml", "name": "t", "status": {"jobDeploymentStatus": "Complete", "endTime": "yesterday"}}]}}}
            """, "--observed");

        Assert.Null(read.Value!.Clusters["gpu"].RayObjects.Single().EndTime);
        Assert.Equal("--observed: clusters.gpu.rayObjects[0].status.endTime", read.Diagnostics.Single().Path);
    }
}
