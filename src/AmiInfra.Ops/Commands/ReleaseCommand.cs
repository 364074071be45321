using System.CommandLine;
using AmiInfra.Declaration;
using AmiInfra.Ops.Aws;
using AmiInfra.Ops.Cli;
using AmiInfra.Ops.Core;
using AmiInfra.Ops.Release;
using AmiInfra.Ops.Usage;

namespace AmiInfra.Ops.Commands;

/// <summary>
/// <c>amiinfra release status|verify|promote|rollback</c>: the release train of one declared image in the factory
/// account. A copy reaches consumers (the image's "latest" SSM parameter and its declared launch templates) only once
/// its verification — the factory's <c>&lt;factory&gt;-release-verify</c> state machine, which launches it where it
/// landed and records <c>amiinfra:verification</c> on it — passed; rollback promotes the previous version that passed.
/// </summary>
public static class ReleaseCommand
{
    /// <summary>Creates the command group.</summary>
    public static Command Create(CommandRunner runner)
    {
        var command = new Command("release", "The release train of an image: each version's copies, their verification (the factory's <factory>-release-verify state machine launches each copy where it landed and tags the result on it), promotion of a verified version to the image's \"latest\" SSM parameter and declared launch templates, and rollback to the previous verified version. Changes are dry runs unless --yes.");
        command.Subcommands.Add(Status(runner));
        command.Subcommands.Add(Verify(runner));
        command.Subcommands.Add(Promote(runner));
        command.Subcommands.Add(Rollback(runner));
        return command;
    }

    private static Argument<string> ImageArgument() => new("image") { Description = "The declared image (its name in the declaration)." };

    private static Option<string?> ForceOption() => new("--force") { Description = "Act even where a guard refuses (a version whose copy did not pass its verification; an AMI consumers leave that something else still uses, whose deregistration protection is then turned off anyway); the value says why and is printed with the result.", HelpName = "REASON" };

    private static Command Status(CommandRunner runner)
    {
        var image = ImageArgument();
        var command = new Command("status", $"Each version of an image and its copies in each declared region: AMI, when it was built, its verification (result, time, reason), whether it is promoted (the image's \"latest\" SSM parameter names it), its deregistration protection, and who still uses the copies that are not promoted. Exit code {ExitCodes.Incomplete} when a kind of AMI user could not be looked for (each gap is listed).") { image };
        return runner.Define(
            command,
            ["amiinfra release status al2023", "amiinfra release status al2023 --output json"],
            async (context, parseResult, cancellationToken) =>
            {
                var (factory, declared) = Declared(context, parseResult.GetValue(image)!);
                var account = await context.AccountAsync(factory.Region, factory, cancellationToken).ConfigureAwait(false);
                var session = new ReleaseSession(context, factory, declared, account);
                var rows = new List<StatusRow>();
                var latest = new SortedDictionary<string, string?>(StringComparer.Ordinal);
                var lookups = new List<UsageLookup>();
                foreach (var region in session.Regions())
                {
                    context.Progress.Report($"reading the copies of {declared.Name} in {region}");
                    var copies = await session.CopiesAsync(region, cancellationToken).ConfigureAwait(false);
                    var current = await session.LatestAsync(region, cancellationToken).ConfigureAwait(false);
                    latest[region] = current;
                    var notPromoted = copies.Where(c => c.ImageId != current).Select(c => c.ImageId).ToList();
                    var lookup = await UsageFinder.FindAsync(new RegionGateway(context.Aws, region), notPromoted, UsageFinder.OutputsOf(factory, region), cancellationToken).ConfigureAwait(false);
                    lookups.Add(lookup);
                    rows.AddRange(copies.Select(c => new StatusRow(c, c.ImageId == current, c.ImageId == current ? [] : lookup.For(c.ImageId).Users().Select(u => $"{u.Kind} {u.Id}").ToList())));
                }

                var merged = UsageLookup.Merge(lookups);
                context.NoteUsage(merged);
                var ordered = rows
                    .OrderByDescending(r => r.Copy.Version, ReleaseVersionComparer.Instance)
                    .ThenBy(r => session.Regions().ToList().IndexOf(r.Copy.Region))
                    .ThenByDescending(r => r.Copy.Built ?? DateTimeOffset.MinValue)
                    .ToList();
                var report = new ReleaseStatusReport(declared.Name, session.Parameter, ordered, latest, merged.Coverage.Count > 0 ? merged.Source : null);
                return context.Write(report);
            });
    }

    private static Command Verify(CommandRunner runner)
    {
        var target = new Argument<string>("image-or-ami") { Description = "The declared image (its newest version's copies, or --version's, in each declared region), or one AMI (ami-...) of the factory." };
        var version = new Option<string?>("--version") { Description = "The version (recipe version, as 'release status' shows it) whose copies to verify. Default: the newest.", HelpName = "VERSION" };
        var yes = new Option<bool>("--yes") { Description = "Start the verifications (each launches an instance from the copy) and wait for their results (bounded by --timeout). Without --yes the command only shows what it would start." };
        var command = new Command("verify", $"Run the verification of copies now: start the factory's <factory>-release-verify state machine (input {{\"amiId\", \"account\"}}) for each copy in its region, wait until every execution ends, and report the result each recorded on its copy (amiinfra:verification, amiinfra:verified-at, amiinfra:verification-execution, amiinfra:verification-reason). An execution that succeeded but recorded no result counts as a failure. Dry run unless --yes. Exit code {ExitCodes.PartialFailure} when a copy did not pass, {ExitCodes.TimedOut} when --timeout ended the wait.") { target, version, yes };
        return runner.Define(
            command,
            ["amiinfra release verify al2023", "amiinfra release verify al2023 --yes", "amiinfra release verify ami-0123456789abcdef0 --region eu-west-1 --yes"],
            async (context, parseResult, cancellationToken) =>
            {
                var factory = context.LoadFactory();
                var wanted = parseResult.GetValue(target)!;
                var isAmi = AmiIds.IsValid(wanted);
                Image declared;
                List<ReleaseCopy> targets;
                string account;
                ReleaseSession session;
                if (isAmi)
                {
                    if (parseResult.GetValue(version) is not null)
                    {
                        throw new OpsException(ExitCodes.Usage, "option --version: given with an AMI id; expected it only with an image name");
                    }

                    account = await context.AccountAsync(factory.Region, factory, cancellationToken).ConfigureAwait(false);
                    (declared, targets) = await FindAmiAsync(context, factory, wanted, account, cancellationToken).ConfigureAwait(false);
                    session = new ReleaseSession(context, factory, declared, account);
                }
                else
                {
                    (factory, declared) = Declared(context, wanted);
                    account = await context.AccountAsync(factory.Region, factory, cancellationToken).ConfigureAwait(false);
                    session = new ReleaseSession(context, factory, declared, account);
                    var copies = new List<ReleaseCopy>();
                    foreach (var region in session.Regions())
                    {
                        copies.AddRange(await session.CopiesAsync(region, cancellationToken).ConfigureAwait(false));
                    }

                    var chosen = parseResult.GetValue(version) ?? ReleasePlanner.Versions(copies).LastOrDefault()
                        ?? throw new OpsException(ExitCodes.NotFound, $"image '{declared.Name}' has no copy with an {Rules.AmiTagKeys.RecipeVersion} tag in {string.Join(", ", session.Regions())}: nothing to verify");
                    targets = session.Regions().Select(r => ReleasePlanner.CopyOf(copies, chosen, r)).OfType<ReleaseCopy>().ToList();
                    if (targets.Count == 0)
                    {
                        throw new OpsException(ExitCodes.NotFound, $"option --version: got '{chosen}'; expected a version with an available copy: {string.Join(", ", ReleasePlanner.Versions(copies))}");
                    }
                }

                var notes = new List<string>();
                if (!isAmi)
                {
                    var missing = session.Regions().Where(r => targets.All(t => t.Region != r)).ToList();
                    if (missing.Count > 0)
                    {
                        notes.Add($"No available copy of {targets[0].Version} in {string.Join(", ", missing)}: nothing to verify there.");
                    }
                }

                notes.Add("Copies in target accounts are verified by the state machine the distribution starts there; this command verifies the factory account's copies.");
                var dryRun = !parseResult.GetValue(yes);
                var rows = dryRun ? targets.Select(t => new VerifyRow(t, null, null, null)).ToList() : await session.VerifyAsync(targets, cancellationToken).ConfigureAwait(false);
                var report = new ReleaseVerifyReport(session.StateMachineName, rows, dryRun, notes);
                return context.Write(report, report.ExitCode);
            });
    }

    private static Command Promote(CommandRunner runner)
    {
        var image = ImageArgument();
        var version = new Argument<string>("version") { Description = "The version to promote (its recipe version, as 'release status' shows it)." };
        var yes = new Option<bool>("--yes") { Description = "Do it. Without --yes the command only shows what it would do." };
        var force = ForceOption();
        var usageCheck = UsageCheckOption.Create();
        var command = new Command("promote", $"Give consumers a version of an image in each declared region: deregistration protection on for its copy, the image's \"latest\" SSM parameter (type String, data type aws:ec2:image) pointed at it, a new version of each declared launch template with it (made the default where declared), and protection off for the AMI consumers leave. Refuses (exit code {ExitCodes.Refused}, nothing changed) when the version's copy in a region has not passed its verification, unless --force REASON. Keeps the protection of an AMI consumers leave that something else still uses (exit code {ExitCodes.Refused}), unless --force REASON. Stops and changes nothing (exit code {ExitCodes.Incomplete}) when a kind of AMI user cannot be looked for, unless --usage-check partial. Dry run unless --yes.") { image, version, yes, force, usageCheck };
        return runner.Define(
            command,
            ["amiinfra release promote al2023 1.0.4", "amiinfra release promote al2023 1.0.4 --yes", "amiinfra release promote al2023 1.0.4 --yes --force 'verified by hand in eu-west-1, ticket OPS-42'"],
            async (context, parseResult, cancellationToken) =>
            {
                var (factory, declared) = Declared(context, parseResult.GetValue(image)!);
                var reason = Reason(parseResult.GetValue(force));
                var wanted = parseResult.GetValue(version)!;
                var account = await context.AccountAsync(factory.Region, factory, cancellationToken).ConfigureAwait(false);
                var session = new ReleaseSession(context, factory, declared, account);
                var (copies, plans) = await ReadAsync(context, session, declared, cancellationToken, (region, regionCopies, _) =>
                    ReleasePlanner.CopyOf(regionCopies, wanted, region)
                    ?? throw new OpsException(ExitCodes.NotFound, $"argument version: got '{wanted}'; image '{declared.Name}' has no available copy of it in {region} (versions there: {Versions(regionCopies)}); nothing was changed")).ConfigureAwait(false);
                return await PromoteAsync(context, session, declared, "promote", copies, plans, parseResult.GetValue(yes), reason, parseResult.GetValue(usageCheck), cancellationToken).ConfigureAwait(false);
            });
    }

    private static Command Rollback(CommandRunner runner)
    {
        var image = ImageArgument();
        var yes = new Option<bool>("--yes") { Description = "Do it. Without --yes the command only shows what it would do." };
        var force = ForceOption();
        var usageCheck = UsageCheckOption.Create();
        var command = new Command("rollback", $"Take an image's release back in each declared region: promote, as 'release promote' does, the newest version older than the one the \"latest\" parameter names whose copy passed its verification, and turn deregistration protection off for the AMI consumers leave (kept on, exit code {ExitCodes.Refused}, while something else still uses it, unless --force REASON). Exit code {ExitCodes.NotFound}, nothing changed, when a region has no earlier verified version. Dry run unless --yes.") { image, yes, force, usageCheck };
        return runner.Define(
            command,
            ["amiinfra release rollback al2023", "amiinfra release rollback al2023 --yes"],
            async (context, parseResult, cancellationToken) =>
            {
                var (factory, declared) = Declared(context, parseResult.GetValue(image)!);
                var reason = Reason(parseResult.GetValue(force));
                var account = await context.AccountAsync(factory.Region, factory, cancellationToken).ConfigureAwait(false);
                var session = new ReleaseSession(context, factory, declared, account);
                var (copies, plans) = await ReadAsync(context, session, declared, cancellationToken, (region, regionCopies, current) =>
                {
                    var promoted = regionCopies.FirstOrDefault(c => c.ImageId == current)
                        ?? throw new OpsException(ExitCodes.NotFound, current is null
                            ? $"{session.Parameter} does not exist in {region}: no release to roll back there; nothing was changed"
                            : $"{session.Parameter} in {region} names {current}, which is not a copy of '{declared.Name}' in this account: no version to roll back from; nothing was changed");
                    return ReleasePlanner.PreviousPassed(regionCopies, region, promoted.Version)
                        ?? throw new OpsException(ExitCodes.NotFound, $"{region}: no version of '{declared.Name}' older than {promoted.Version} (promoted, {promoted.ImageId}) has a copy that passed its verification (versions there: {Versions(regionCopies)}); nothing was changed");
                }).ConfigureAwait(false);
                return await PromoteAsync(context, session, declared, "rollback", copies, plans, parseResult.GetValue(yes), reason, parseResult.GetValue(usageCheck), cancellationToken).ConfigureAwait(false);
            });
    }

    /// <summary>Reads each region's copies and "latest" parameter, and the copy to promote there (chosen by <paramref name="choose"/>).</summary>
    private static async Task<(Dictionary<string, List<ReleaseCopy>> Copies, List<RegionPromotion> Plans)> ReadAsync(CommandContext context, ReleaseSession session, Image declared, CancellationToken cancellationToken, Func<string, List<ReleaseCopy>, string?, ReleaseCopy> choose)
    {
        var copies = new Dictionary<string, List<ReleaseCopy>>(StringComparer.Ordinal);
        var plans = new List<RegionPromotion>();
        foreach (var region in session.Regions())
        {
            context.Progress.Report($"reading the copies of {declared.Name} in {region}");
            var regionCopies = await session.CopiesAsync(region, cancellationToken).ConfigureAwait(false);
            copies[region] = regionCopies;
            var current = await session.LatestAsync(region, cancellationToken).ConfigureAwait(false);
            var target = choose(region, regionCopies, current);
            plans.Add(new RegionPromotion(region, target, current, declared.Distribution.LaunchTemplates.Where(t => t.Region == region).ToList(), ReleasePlanner.Leaving(target, current, regionCopies), ReleasePlanner.Consumers(declared)));
        }

        context.Progress.Done();
        return (copies, plans);
    }

    private static async Task<int> PromoteAsync(CommandContext context, ReleaseSession session, Image declared, string name, Dictionary<string, List<ReleaseCopy>> copies, List<RegionPromotion> plans, bool yes, string? reason, UsageCheck usageCheck, CancellationToken cancellationToken)
    {
        var refusals = plans.Select(p => (p, Why: ReleasePlanner.NotPromotable(p.Target))).Where(r => r.Why is not null).ToList();
        var notes = new List<string>();
        if (refusals.Count > 0 && reason is null)
        {
            var rows = refusals.Select(r => new ReleaseRow(r.p.Region, "copy", r.p.Target.ImageId, $"refused: {declared.Name} {r.p.Target.Version} is not promoted: {r.Why}", Refused: true)).ToList();
            notes.Add($"Nothing was changed in any region: a version reaches consumers only once its copy passed its verification everywhere ('amiinfra release verify {declared.Name} --version {plans[0].Target.Version} --yes'), or with --force REASON.");
            var refused = new ReleaseActionReport(name, declared.Name, plans, rows, !yes, null, notes);
            return context.Write(refused, ExitCodes.Refused);
        }

        if (refusals.Count > 0)
        {
            notes.Add($"--force: {reason}: promoted although {string.Join("; ", refusals.Select(r => $"{r.p.Region} {r.p.Target.ImageId}: {r.Why}"))}.");
        }

        var (done, usageSource) = await session.PromoteAsync(plans, copies, !yes, reason, usageCheck, cancellationToken).ConfigureAwait(false);
        var report = new ReleaseActionReport(name, declared.Name, plans, done, !yes, usageSource, notes);
        return context.Write(report, report.ExitCode);
    }

    /// <summary>Finds a factory AMI in the image's declared regions (or --region's): its image and its copy.</summary>
    private static async Task<(Image Image, List<ReleaseCopy> Copies)> FindAmiAsync(CommandContext context, Factory factory, string imageId, string account, CancellationToken cancellationToken)
    {
        var regions = context.RegionsGiven ? context.FactoryRegions(factory) : factory.DistributionRegions;
        foreach (var region in regions)
        {
            var lookup = await new RegionGateway(context.Aws, region).LookupImageAsync(imageId, cancellationToken).ConfigureAwait(false);
            if (lookup.Image is not { } found)
            {
                continue;
            }

            var tags = (found.Tags ?? []).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
            var imageName = tags.GetValueOrDefault(Rules.AmiTagKeys.Image);
            var declared = factory.Images.FirstOrDefault(i => i.Name == imageName);
            if (tags.GetValueOrDefault(Rules.AmiTagKeys.Factory) != factory.Name || declared is null)
            {
                throw new OpsException(ExitCodes.Usage, $"argument image-or-ami: got {imageId} (in {region}, {Rules.AmiTagKeys.Factory}='{tags.GetValueOrDefault(Rules.AmiTagKeys.Factory)}', {Rules.AmiTagKeys.Image}='{imageName}'); expected an AMI of factory '{factory.Name}' and one of its declared images: {string.Join(", ", factory.Images.Select(i => i.Name))}");
            }

            if (found.OwnerId is not null && found.OwnerId != account)
            {
                throw new OpsException(ExitCodes.NotOwned, $"{imageId} in {region} belongs to account {found.OwnerId}: it is verified there, by the state machine of that account's distribution; not started");
            }

            return (declared, [ReleaseCopy.From(region, found)]);
        }

        throw new OpsException(ExitCodes.NotFound, $"{imageId} does not exist in {string.Join(", ", regions)}");
    }

    private static (Factory Factory, Image Image) Declared(CommandContext context, string name)
    {
        var factory = context.LoadFactory();
        var declared = factory.Images.FirstOrDefault(i => i.Name == name)
            ?? throw new OpsException(ExitCodes.Usage, $"argument image: got '{name}'; expected one of the declared images: {string.Join(", ", factory.Images.Select(i => i.Name))}");
        return (factory, declared);
    }

    private static string? Reason(string? force) =>
        force is not null && string.IsNullOrWhiteSpace(force)
            ? throw new OpsException(ExitCodes.Usage, "option --force: got an empty reason; expected the reason, e.g. --force 'verified by hand, ticket OPS-42'")
            : force;

    private static string Versions(IEnumerable<ReleaseCopy> copies)
    {
        var versions = ReleasePlanner.Versions(copies.Where(c => c.Available));
        return versions.Count == 0 ? "none" : string.Join(", ", versions);
    }
}
