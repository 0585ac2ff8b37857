using System.Collections.Immutable;
using System.Text;

namespace SkyRay.Orchestration.Manifests;

/// <summary>One file of a rendered cluster folder.</summary>
/// <param name="Name">File name within the cluster folder, <c>/</c> between folders (<c>workloads.yaml</c>, <c>helm/kuberay-operator.yaml</c>).</param>
/// <param name="Content">The whole file: YAML ending with a newline.</param>
public sealed record RenderedFile(string Name, string Content);

/// <summary>The folder of one live cluster.</summary>
/// <param name="Cluster">Cluster name, also the folder name.</param>
/// <param name="Files">Files sorted by name.</param>
public sealed record RenderedCluster(string Cluster, ImmutableArray<RenderedFile> Files);

/// <summary>What <c>skyray render</c> writes: one folder per live cluster. Deterministic byte for byte.</summary>
/// <param name="Clusters">Folders by cluster name.</param>
public sealed record RenderedFleet(ImmutableSortedDictionary<string, RenderedCluster> Clusters)
{
    /// <summary>Every file as (relative path with / separators, content): clusters by name, files by name within each.</summary>
    public IEnumerable<(string Path, string Content)> Files =>
        Clusters.Values.SelectMany(c => c.Files.Select(f => (c.Cluster + "/" + f.Name, f.Content)));

    /// <summary>
    /// Writes <c>&lt;dir&gt;/&lt;cluster&gt;/&lt;file&gt;</c> as UTF-8 without BOM. Writes only its own files: folders of
    /// clusters that are no longer live are left alone, so point it at a fresh folder to get exactly the plan.
    /// </summary>
    /// <param name="directory">Target folder; created when missing.</param>
    /// <returns>The paths written, in order.</returns>
    public ImmutableArray<string> WriteTo(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        var written = ImmutableArray.CreateBuilder<string>();
        foreach (var cluster in Clusters.Values)
        {
            var folder = Path.Combine(directory, cluster.Cluster);
            Directory.CreateDirectory(folder);
            foreach (var file in cluster.Files)
            {
                var path = Path.Combine(folder, file.Name.Replace('/', Path.DirectorySeparatorChar));
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, file.Content, encoding);
                written.Add(path);
            }
        }

        return written.ToImmutable();
    }
}
