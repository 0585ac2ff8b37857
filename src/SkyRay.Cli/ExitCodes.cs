namespace SkyRay.Cli;

/// <summary>Exit codes of every <c>skyray</c> command.</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked (warnings may have been printed).</summary>
    public const int Ok = 0;

    /// <summary>Something unexpected failed inside skyray (a bug); a one-line message was printed.</summary>
    public const int Unexpected = 1;

    /// <summary>The input (arguments or stack config) is invalid; located errors were printed.</summary>
    public const int InvalidInput = 2;

    /// <summary><c>skyray plan --check-changes</c>: the next <c>pulumi up</c> would change something (what, is printed). 0 there
    /// means it would change nothing.</summary>
    public const int Changes = 3;
}
