using System.Text.Json.Nodes;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Workloads;
using SkyRay.Fleet.Yaml;
using SkyRay.Testing;

namespace SkyRay.KubeRay.Tests.Support;

/// <summary>One ray.io object from the official KubeRay samples.</summary>
/// <param name="File">Sample file name.</param>
/// <param name="Document">Index of the document in the file.</param>
/// <param name="Kind">Ray kind.</param>
/// <param name="Name">metadata.name.</param>
/// <param name="Manifest">The whole object.</param>
public sealed record SampleObject(string File, int Document, RayKind Kind, string Name, JsonObject Manifest)
{
    public JsonObject Spec => (JsonObject)Manifest["spec"]!;

    public override string ToString() => $"{File}#{Document} {Kind}/{Name}";
}

/// <summary>Reads the KubeRay v1.7.0 samples in place from shared/ (skips the calling test when absent).</summary>
public static class KubeRaySamples
{
    public static IReadOnlyList<SampleObject> LoadAll()
    {
        var dir = SharedMaterial.Require(SharedMaterial.KubeRaySamples);
        var result = new List<SampleObject>();
        foreach (var file in Directory.GetFiles(dir, "*.yaml").Order(StringComparer.Ordinal))
        {
            var bag = new DiagnosticBag();
            var docs = YamlJson.ParseDocuments(File.ReadAllText(file), Path.GetFileName(file), bag);
            Assert.False(bag.HasErrors, string.Join("\n", bag.Items));
            for (var i = 0; i < docs.Count; i++)
            {
                if (docs[i] is JsonObject obj &&
                    obj["apiVersion"]?.GetValue<string>() == "ray.io/v1" &&
                    Enum.TryParse<RayKind>(obj["kind"]?.GetValue<string>(), out var kind))
                {
                    result.Add(new SampleObject(Path.GetFileName(file), i, kind, (obj["metadata"]?["name"] ?? obj["metadata"]?["generateName"])!.GetValue<string>(), obj));
                }
            }
        }

        return result;
    }

    public static SampleObject Load(string file, RayKind kind) =>
        LoadAll().Single(s => s.File == file && s.Kind == kind);
}
