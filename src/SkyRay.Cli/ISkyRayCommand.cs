using System.CommandLine;

namespace SkyRay.Cli;

/// <summary>One <c>skyray</c> subcommand. Implementations live in Commands/, one file each, and are listed in <see cref="Program"/>.</summary>
public interface ISkyRayCommand
{
    /// <summary>Builds the System.CommandLine command; its action returns an exit code from <see cref="ExitCodes"/>.</summary>
    /// <param name="context">Where output goes and which folder the command runs in.</param>
    /// <returns>The command.</returns>
    Command Create(CliContext context);
}
