namespace SkyRay.Placement.Pipeline;

/// <summary>The select step: turns scored candidates into copies (one cluster, one per domain, or a split).</summary>
internal interface ISelection
{
    /// <summary>Name shown in explanations.</summary>
    string Name { get; }

    /// <summary>Places the unit, taking capacity; on failure leaves capacity as it was and sets <see cref="UnitOutcome.Unplaced"/>.</summary>
    /// <param name="pipeline">The run.</param>
    /// <param name="unit">The unit.</param>
    /// <returns>The outcome.</returns>
    UnitOutcome Place(PlacementPipeline pipeline, PlacementUnit unit);
}
