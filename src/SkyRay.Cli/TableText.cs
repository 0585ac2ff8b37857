using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace SkyRay.Cli;

/// <summary>How the commands write table cells and amounts: plain text cells (no markup), money in USD to the cent.</summary>
internal static class TableText
{
    /// <summary>A table row's cells as plain text (Spectre markup in values is shown, not interpreted).</summary>
    /// <param name="values">The cell texts.</param>
    /// <returns>The cells.</returns>
    public static IRenderable[] Cells(params string[] values) => [.. values.Select(v => (IRenderable)new Text(v))];

    /// <summary>An amount rounded to the cent, half away from zero.</summary>
    /// <param name="usd">The amount.</param>
    /// <returns>The rounded amount.</returns>
    public static decimal Cents(decimal usd) => Math.Round(usd, 2, MidpointRounding.AwayFromZero);

    /// <summary>An amount to the cent with thousands separators (<c>4,542.94</c>).</summary>
    /// <param name="usd">The amount.</param>
    /// <returns>The text.</returns>
    public static string Money(decimal usd) => Cents(usd).ToString("N2", CultureInfo.InvariantCulture);

    /// <summary>An enum value as the lower-case word outputs use.</summary>
    /// <typeparam name="T">The enum.</typeparam>
    /// <param name="value">The value.</param>
    /// <returns>The word.</returns>
    public static string Lower<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();
}
