using AmiInfra.Rules;

namespace AmiInfra.Declaration;

/// <summary>Reads an image's <c>release</c>: the verification of its copies and the rebuild on a new CVE.</summary>
internal static class ReleaseReader
{
    /// <summary>The fields of an image's <c>release</c>.</summary>
    internal static readonly string[] Fields = ["enabled", "instanceType", "subnets", "launchWithTemplate", "timeoutMinutes", "smokeTest", "onFailure", "rebuildOnCve"];

    /// <summary>The fields of <c>release.smokeTest</c>.</summary>
    internal static readonly string[] SmokeTestFields = ["commands"];

    /// <summary>The fields of <c>release.rebuildOnCve</c>.</summary>
    internal static readonly string[] RebuildFields = ["minimumSeverity"];

    /// <summary>
    /// The release settings of an image: the defaults when <c>release</c> is absent (every copy is verified on the image's
    /// first build instance type). The instance type is checked like a build instance type, for the image's platform and
    /// parent; a subnet is named per distribution region.
    /// </summary>
    public static ReleaseSettings Read(JsonFields f, FactoryContext factory, Platform platform, ParentImage parent, IReadOnlyList<string> buildTypes, IReadOnlyList<string> regions)
    {
        var r = f.OptionalObject("release", Fields);
        if (r is null)
        {
            return new ReleaseSettings { InstanceType = buildTypes[0] };
        }

        var instanceType = buildTypes[0];
        if (r.Has("instanceType"))
        {
            instanceType = r.Checked("instanceType", Identifiers.InstanceType);
            JsonFields.Require(r.At("instanceType"), InstanceTypes.Exists(instanceType, out var warning));
            if (warning is not null)
            {
                factory.Warnings.Add($"{r.At("instanceType")}: {warning}.");
            }

            var named = parent.Kind is ParentImageKind.SsmParameter or ParentImageKind.ImageBuilder;
            if (InstanceTypes.ForImage([instanceType], platform == Platform.Windows, named ? InstanceTypes.ParentArchitecture(parent.Value) : null, parent.Value, out _) is { } problem)
            {
                throw new DeclarationException(r.At("instanceType"), problem with { Index = null });
            }
        }

        var subnets = r.OptionalMap("subnets", Identifiers.SubnetId.Accepted) ?? new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (region, subnet) in subnets)
        {
            var at = JsonFields.Join(r.At("subnets"), region);
            if (!regions.Contains(region, StringComparer.Ordinal))
            {
                throw new DeclarationException(at, JsonFields.Quote(region), "one of the image's distribution regions (" + Text.OneOf(regions) + "): a subnet belongs to the region its copies are verified in");
            }

            JsonFields.Require(at, Identifiers.SubnetId.Check(subnet));
        }

        var timeout = r.OptionalWholeNumber("timeoutMinutes", $"{Releases.TimeoutMinutes.Min} to {Releases.TimeoutMinutes.Max} minutes");
        if (timeout is { } minutes)
        {
            JsonFields.Require(r.At("timeoutMinutes"), Releases.Timeout(minutes));
        }

        IReadOnlyList<string> commands = [];
        if (r.OptionalObject("smokeTest", SmokeTestFields) is { } smoke)
        {
            commands = smoke.OptionalStrings("commands", "a list of commands") ?? [];
            if (smoke.Has("commands") && Releases.Commands(commands) is { } problem)
            {
                throw new DeclarationException(problem.Index is { } i ? JsonFields.Index(smoke.At("commands"), i) : smoke.At("commands"), problem with { Index = null });
            }
        }

        var onFailure = r.OptionalString("onFailure", Text.OneOf(Releases.FailureActions)) ?? Releases.DefaultFailureAction;
        JsonFields.Require(r.At("onFailure"), Releases.FailureAction(onFailure));

        string? severity = null;
        if (r.OptionalObject("rebuildOnCve", RebuildFields) is { } rebuild)
        {
            severity = rebuild.OptionalString("minimumSeverity", Text.OneOf(Releases.CveSeverities)) ?? Releases.CveSeverities[0];
            JsonFields.Require(rebuild.At("minimumSeverity"), Releases.CveSeverity(severity));
        }

        return new ReleaseSettings
        {
            Enabled = r.OptionalBool("enabled") ?? true,
            InstanceType = instanceType,
            Subnets = subnets,
            LaunchWithTemplate = r.OptionalBool("launchWithTemplate") ?? true,
            TimeoutMinutes = timeout ?? Releases.DefaultTimeoutMinutes,
            Commands = commands,
            OnFailure = onFailure,
            RebuildOnCveSeverity = severity,
        };
    }
}
