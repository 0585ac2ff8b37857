using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Pulumi;
using Pulumi.Testing;
using SkyRay.Testing;

namespace SkyRay.Infra.Tests.Support;

/// <summary>What one mocked deployment declared and exported.</summary>
/// <param name="Resources">The resource objects the program created.</param>
/// <param name="Outputs">The stack outputs (values or <c>Output&lt;T&gt;</c>).</param>
/// <param name="Mocks">The mocks, holding every registration with its inputs.</param>
internal sealed record DeploymentResult(ImmutableArray<Resource> Resources, IDictionary<string, object?> Outputs, Mocks Mocks)
{
    /// <summary>Registrations of a type token, by resource name.</summary>
    public ImmutableSortedDictionary<string, MockResourceArgs> OfType(string type) =>
        Mocks.Resources.Where(r => r.Type == type).ToImmutableSortedDictionary(r => r.Name!, r => r, StringComparer.Ordinal);

    /// <summary>The registration of a type and name, or a failed assertion naming what exists.</summary>
    public MockResourceArgs Single(string type, string name)
    {
        var all = OfType(type);
        Assert.True(all.ContainsKey(name), $"no {type} named '{name}'; declared: {string.Join(", ", all.Keys)}");
        return all[name];
    }

    /// <summary>The value of a stack output, awaited when it is an Output.</summary>
    public async Task<T> OutputAsync<T>(string name)
    {
        Assert.True(Outputs.ContainsKey(name), $"no stack output '{name}'; outputs: {string.Join(", ", Outputs.Keys)}");
        return Outputs[name] switch
        {
            Output<T> output => await Values.Of(output),
            T value => value,
            var other => throw new InvalidOperationException($"output '{name}' is a {other?.GetType().Name}, not {typeof(T).Name}"),
        };
    }
}

/// <summary>Runs the real program (<c>FleetProgram.RunAsync</c>) against the mocks with a stack's config.</summary>
internal static class PulumiRun
{
    public const string Project = "skyray-infra";

    /// <summary>Runs the program.</summary>
    /// <param name="config">The stack's config.</param>
    /// <param name="mocks">The engine double (a fresh one by default).</param>
    /// <param name="rootDirectory">The project root the engine reports (the repository root by default).</param>
    public static async Task<DeploymentResult> RunAsync(StackConfig config, Mocks? mocks = null, string? rootDirectory = null)
    {
        mocks ??= new Mocks();
        // The deployment reads its config from these variables when it is created inside TestAsync.
        Environment.SetEnvironmentVariable("PULUMI_CONFIG", config.ToEnvironmentJson());
        Environment.SetEnvironmentVariable("PULUMI_CONFIG_SECRET_KEYS", config.SecretKeysJson());
        try
        {
            var options = new TestOptions
            {
                ProjectName = Project,
                StackName = config.Stack,
                OrganizationName = "organization",
                RootDirectory = rootDirectory ?? SharedMaterial.RepositoryRoot,
                IsPreview = false,
            };
            // Pulumi.Testing blocks on an async program inside the stack constructor; running it on the thread pool keeps
            // xUnit's synchronization context out of that wait.
            var (resources, outputs) = await Task.Run(() => Deployment.TestAsync(mocks, options, () => FleetProgram.RunAsync()));
            return new DeploymentResult(resources, outputs, mocks);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PULUMI_CONFIG", null);
            Environment.SetEnvironmentVariable("PULUMI_CONFIG_SECRET_KEYS", null);
        }
    }
}

/// <summary>Reads resolved values out of outputs and mock inputs.</summary>
internal static class Values
{
    /// <summary>The value of an output (known outputs only; the tests run outside preview).</summary>
    public static Task<T> Of<T>(Output<T> output)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = output.Apply(v =>
        {
            done.TrySetResult(v);
            return v;
        });
        return done.Task;
    }

    /// <summary>A mock input tree as JSON, for comparisons with the core's JSON (numbers come back as doubles).</summary>
    public static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        double d => d == Math.Floor(d) && Math.Abs(d) < 1e15 ? JsonValue.Create((long)d) : JsonValue.Create(d),
        int i => JsonValue.Create((long)i),
        IReadOnlyDictionary<string, object> map => new JsonObject(map.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, ToJson(p.Value)))),
        System.Collections.IEnumerable list => new JsonArray([.. list.Cast<object?>().Select(ToJson)]),
        _ => JsonValue.Create(value.ToString()),
    };

    /// <summary>
    /// The core's JSON as it reaches a resource: whole numbers as longs, keys sorted, null map entries left out
    /// (Pulumi's serializer omits them), so both sides compare alike.
    /// </summary>
    public static JsonNode? Normalize(JsonNode? node) => node switch
    {
        null => null,
        JsonObject map => new JsonObject(map
            .Where(p => p.Value is not null && !(p.Value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Null))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Normalize(p.Value)))),
        JsonArray list => new JsonArray([.. list.Select(Normalize)]),
        JsonValue value when value.GetValueKind() == System.Text.Json.JsonValueKind.Number => ToJson(double.Parse(value.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture)),
        JsonValue value => JsonNode.Parse(value.ToJsonString()),
        _ => null,
    };

    /// <summary>A nested input by path (<c>scalingConfig.minSize</c>).</summary>
    public static object? At(MockResourceArgs resource, string path)
    {
        object? current = resource.Inputs;
        foreach (var part in path.Split('.'))
        {
            current = current is IReadOnlyDictionary<string, object> map && map.TryGetValue(part, out var next) ? next : null;
        }

        return current;
    }
}
