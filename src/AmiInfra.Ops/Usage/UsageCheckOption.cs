using System.CommandLine;
using AmiInfra.Ops.Cli;

namespace AmiInfra.Ops.Usage;

/// <summary>The --usage-check option of the destructive commands.</summary>
public static class UsageCheckOption
{
    /// <summary>Creates the option.</summary>
    public static Option<UsageCheck> Create() => ParseErrors.OneOf(
        new Option<UsageCheck>("--usage-check")
        {
            Description = "complete (default): stop and change nothing when a kind of AMI user cannot be looked for (a denied call, an API the endpoint lacks); partial: act on what could be checked, and report exactly what was not.",
            HelpName = "complete|partial",
            DefaultValueFactory = _ => UsageCheck.Complete,
        },
        "complete",
        "partial");
}
