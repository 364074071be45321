using System.Globalization;
using System.Text.Json.Nodes;
using Filter = Amazon.EC2.Model.Filter;
using Amazon.Runtime;
using AmiInfra.Declaration;
using AmiInfra.Ops.Aws;
using AmiInfra.Ops.Cli;
using AmiInfra.Ops.Core;
using AmiInfra.Ops.Usage;
using AmiInfra.Rules;

namespace AmiInfra.Ops.Release;

/// <summary>
/// The AWS side of <c>amiinfra release</c> for one declared image in the factory account: reads its copies and its
/// "latest" parameter, promotes, verifies. Every change is idempotent (a rerun after a stop finishes the job), and a
/// call that fails stops the command with what was done before it.
/// </summary>
internal sealed class ReleaseSession(CommandContext context, Factory factory, Image image, string account)
{
    /// <summary>The suffix of the verification state machine's name: <c>&lt;factory&gt;-release-verify</c>.</summary>
    public const string StateMachineSuffix = "-release-verify";

    /// <summary>The name of the factory's verification state machine (the same in every region).</summary>
    public string StateMachineName => $"{factory.Name}{StateMachineSuffix}";

    /// <summary>The image's "latest" parameter.</summary>
    public string Parameter => image.Distribution.SsmParameterName;

    /// <summary>The image's declared regions, or those of them --region/--regions name (another region is a usage error).</summary>
    public IReadOnlyList<string> Regions()
    {
        if (!context.RegionsGiven)
        {
            return image.Distribution.Regions;
        }

        var given = context.FactoryRegions(factory);
        foreach (var region in given.Where(r => !image.Distribution.Regions.Contains(r, StringComparer.Ordinal)))
        {
            throw new OpsException(ExitCodes.Usage, $"option --regions: got '{region}'; expected regions image '{image.Name}' is declared for: {string.Join(", ", image.Distribution.Regions)}");
        }

        return given;
    }

    /// <summary>The image's copies in a region (every AMI of the account tagged with the factory and the image).</summary>
    public async Task<List<ReleaseCopy>> CopiesAsync(string region, CancellationToken cancellationToken)
    {
        var gateway = new RegionGateway(context.Aws, region);
        var images = await gateway.OwnedImagesAsync(
            [new Filter { Name = $"tag:{AmiTagKeys.Factory}", Values = [factory.Name] }, new Filter { Name = $"tag:{AmiTagKeys.Image}", Values = [image.Name] }],
            cancellationToken).ConfigureAwait(false);
        return images.Where(i => i.OwnerId is null || i.OwnerId == account).Select(i => ReleaseCopy.From(region, i)).ToList();
    }

    /// <summary>The AMI the image's "latest" parameter names in a region, or null when it does not exist.</summary>
    public Task<string?> LatestAsync(string region, CancellationToken cancellationToken) =>
        ParameterGateway.TryValueAsync(context.Aws, region, Parameter, cancellationToken);

    /// <summary>
    /// Promotes per region: deregistration protection on for the promoted copy, its launch permissions for the declared
    /// consumers it lacks, the "latest" parameter, the declared launch templates, and protection off for the AMI consumers left — unless something else still uses it (then
    /// it stays protected and the action is refused, unless <paramref name="force"/> says why). The usage check of
    /// the AMIs left runs first: when it cannot run completely, nothing is changed (unless --usage-check partial).
    /// </summary>
    public async Task<(List<ReleaseRow> Rows, string? UsageSource)> PromoteAsync(IReadOnlyList<RegionPromotion> plans, IReadOnlyDictionary<string, List<ReleaseCopy>> copies, bool dryRun, string? force, UsageCheck mode, CancellationToken cancellationToken)
    {
        var lookups = new Dictionary<string, UsageLookup>(StringComparer.Ordinal);
        foreach (var plan in plans.Where(p => p.Leaving.Count > 0))
        {
            context.Progress.Report($"looking for users of {string.Join(", ", plan.Leaving)} in {plan.Region}");
            lookups[plan.Region] = await UsageFinder.FindAsync(new RegionGateway(context.Aws, plan.Region), plan.Leaving, UsageFinder.OutputsOf(factory, plan.Region), cancellationToken).ConfigureAwait(false);
        }

        var merged = UsageLookup.Merge(lookups.Values);
        context.RequireCompleteUsage(merged, mode);
        var rows = new List<ReleaseRow>();
        foreach (var plan in plans)
        {
            var gateway = new RegionGateway(context.Aws, plan.Region);
            var target = plan.Target.ImageId;
            context.Progress.Report($"promoting {target} in {plan.Region}");

            // 1. The promoted copy is protected before consumers are pointed at it.
            rows.Add(plan.Target.Protected
                ? new ReleaseRow(plan.Region, "image", target, "deregistration protection already on")
                : dryRun ? new ReleaseRow(plan.Region, "image", target, "would turn deregistration protection on (24-hour cooldown)")
                : await ActAsync(rows, plan.Region, $"turning deregistration protection on for {target}", () => gateway.EnableDeregistrationProtectionAsync(target, cancellationToken), new ReleaseRow(plan.Region, "image", target, "deregistration protection turned on (24-hour cooldown)")).ConfigureAwait(false));

            // 2. Its consumers may launch it before the parameter names it (with release on, only a verification or a
            //    promotion shares a copy).
            if (plan.Consumers is { Count: > 0 } consumers)
            {
                var present = await CallAsync(rows, plan.Region, $"reading the launch permissions of {target}", () => gateway.LaunchPermissionsAsync(target, cancellationToken)).ConfigureAwait(false);
                var missing = ReleasePlanner.Missing(present, consumers);
                var whom = string.Join(", ", missing.Select(ReleasePlanner.Describe));
                rows.Add(missing.Count == 0
                    ? new ReleaseRow(plan.Region, "image", target, "already shared with the declared consumers")
                    : dryRun ? new ReleaseRow(plan.Region, "image", target, $"would share with {whom}")
                    : await ActAsync(rows, plan.Region, $"sharing {target} with {whom}", () => gateway.AddLaunchPermissionsAsync(target, missing, cancellationToken), new ReleaseRow(plan.Region, "image", target, $"shared with {whom}")).ConfigureAwait(false));
            }

            // 3. The "latest" parameter.
            var was = plan.CurrentImageId is null ? "did not exist" : $"was {plan.CurrentImageId}";
            rows.Add(plan.CurrentImageId == target
                ? new ReleaseRow(plan.Region, "ssm-parameter", Parameter, $"already names {target}")
                : dryRun ? new ReleaseRow(plan.Region, "ssm-parameter", Parameter, $"would name {target} ({was})")
                : await ActAsync(rows, plan.Region, $"writing {Parameter}", () => gateway.PutImageParameterAsync(Parameter, target, cancellationToken), new ReleaseRow(plan.Region, "ssm-parameter", Parameter, $"names {target} ({was})")).ConfigureAwait(false));

            // 4. The declared launch templates.
            foreach (var template in plan.Templates)
            {
                rows.Add(await TemplateAsync(rows, gateway, plan, template, dryRun, cancellationToken).ConfigureAwait(false));
            }

            // 5. The AMIs consumers left.
            foreach (var left in plan.Leaving)
            {
                rows.Add(await LeftAsync(rows, gateway, plan, left, copies[plan.Region], lookups[plan.Region].For(left), dryRun, force, cancellationToken).ConfigureAwait(false));
            }
        }

        context.Progress.Done();
        return (rows, lookups.Count > 0 ? merged.Source : null);
    }

    private async Task<ReleaseRow> TemplateAsync(List<ReleaseRow> rows, RegionGateway gateway, RegionPromotion plan, LaunchTemplateUpdate template, bool dryRun, CancellationToken cancellationToken)
    {
        var id = template.LaunchTemplateId;
        if (template.AccountId is { } owner && owner != account)
        {
            context.NotRead($"launch template {id} in {plan.Region}", $"it is in account {owner}; this command acts in the factory account {account} only");
            return new ReleaseRow(plan.Region, "launch-template", id, $"not updated: it is in account {owner}", NotDone: true);
        }

        var target = plan.Target.ImageId;
        var (version, current) = await CallAsync(rows, plan.Region, $"reading launch template {id}", () => gateway.LaunchTemplateVersionAsync(id, latest: !template.SetDefaultVersion, cancellationToken)).ConfigureAwait(false);
        var which = template.SetDefaultVersion ? "default" : "latest";
        if (current == target)
        {
            return new ReleaseRow(plan.Region, "launch-template", id, $"{which} version {version} already launches {target}");
        }

        if (dryRun)
        {
            return new ReleaseRow(plan.Region, "launch-template", id, $"would create a version from version {version} ({current ?? "no AMI"}) with {target}{(template.SetDefaultVersion ? " and make it the default" : "")}");
        }

        var created = await CallAsync(rows, plan.Region, $"creating a version of launch template {id}", () => gateway.CreateLaunchTemplateVersionAsync(id, version, target, $"amiinfra release: {image.Name} {plan.Target.Version}", cancellationToken)).ConfigureAwait(false);
        if (template.SetDefaultVersion)
        {
            await CallAsync(rows, plan.Region, $"making version {created} the default of launch template {id}", async () =>
            {
                await gateway.SetDefaultLaunchTemplateVersionAsync(id, created, cancellationToken).ConfigureAwait(false);
                return true;
            }).ConfigureAwait(false);
        }

        return new ReleaseRow(plan.Region, "launch-template", id, $"version {created} launches {target} (from version {version}, {current ?? "no AMI"}){(template.SetDefaultVersion ? ", now the default" : "")}");
    }

    private async Task<ReleaseRow> LeftAsync(List<ReleaseRow> rows, RegionGateway gateway, RegionPromotion plan, string left, IReadOnlyList<ReleaseCopy> regionCopies, ImageUsage usage, bool dryRun, string? force, CancellationToken cancellationToken)
    {
        var copy = regionCopies.FirstOrDefault(c => c.ImageId == left);
        if (copy is null)
        {
            return new ReleaseRow(plan.Region, "image", left, $"left by consumers; not a copy of {image.Name} in this account, so its protection is not touched");
        }

        if (!copy.Protected)
        {
            return new ReleaseRow(plan.Region, "image", left, "left by consumers; deregistration protection already off");
        }

        var others = ReleasePlanner.OtherUsers(usage, Parameter, plan.Templates.Select(t => t.LaunchTemplateId));
        var users = string.Join(", ", others.Select(u => $"{u.Kind} {u.Id}"));
        if (others.Count > 0 && force is null)
        {
            return new ReleaseRow(plan.Region, "image", left, $"refused: deregistration protection kept on, still used by {users}", Refused: true);
        }

        var forced = others.Count > 0 ? $" (--force: {force}; still used by {users})" : "";
        return dryRun
            ? new ReleaseRow(plan.Region, "image", left, $"left by consumers; would turn deregistration protection off{forced}")
            : await ActAsync(rows, plan.Region, $"turning deregistration protection off for {left}", () => gateway.DisableDeregistrationProtectionAsync(left, cancellationToken), new ReleaseRow(plan.Region, "image", left, $"left by consumers; deregistration protection turned off{forced}")).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts the verification of each copy (an execution of the factory's state machine in the copy's region, input
    /// {"amiId", "account"}), waits for every execution to end (DescribeExecution every poll interval, bounded by
    /// --timeout), then reads the tags each left on its copy.
    /// </summary>
    public async Task<List<VerifyRow>> VerifyAsync(IReadOnlyList<ReleaseCopy> targets, CancellationToken cancellationToken)
    {
        var signed = context.Aws.Signed;
        var stamp = context.Now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture);
        var started = new List<(ReleaseCopy Copy, string Execution)>();
        foreach (var copy in targets)
        {
            var stateMachine = StepFunctionsCalls.StateMachineArn(copy.Region, account, StateMachineName);
            var input = new JsonObject { ["amiId"] = copy.ImageId, ["account"] = account };
            try
            {
                started.Add((copy, await StepFunctionsCalls.StartExecutionAsync(signed, copy.Region, stateMachine, $"{copy.ImageId}-{stamp}", input, cancellationToken).ConfigureAwait(false)));
            }
            catch (AmazonServiceException e) when (StepFunctionsCalls.IsMissingStateMachine(e))
            {
                throw new OpsException(ExitCodes.AwsError, $"the verification state machine {StateMachineName} does not exist in {copy.Region} ({e.ErrorCode}): deploy the factory ('npx cdk deploy --all'){Started(started)}", e);
            }
            catch (AmazonServiceException e)
            {
                var error = AwsErrors.ToUserError(e, context.Aws.MaxRetries + 1);
                throw new OpsException(error.ExitCode, $"{error.Message} (starting {StateMachineName} in {copy.Region}){Started(started)}", e);
            }
        }

        var ended = new Dictionary<string, StateMachineExecution>(StringComparer.Ordinal);
        try
        {
            while (ended.Count < started.Count)
            {
                foreach (var (copy, execution) in started.Where(s => !ended.ContainsKey(s.Execution)))
                {
                    var described = await StepFunctionsCalls.DescribeExecutionAsync(signed, copy.Region, execution, cancellationToken).ConfigureAwait(false);
                    if (!described.Running)
                    {
                        ended[execution] = described;
                    }
                }

                if (ended.Count < started.Count)
                {
                    context.Progress.Report($"{started.Count - ended.Count} verification(s) running");
                    await Task.Delay(context.Environment.PollInterval, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            return started.Select(s => ended.TryGetValue(s.Execution, out var done)
                ? new VerifyRow(s.Copy, s.Execution, new VerificationOutcome(done.Status == "SUCCEEDED" ? "ended" : "failed", $"{done.Status}; its tags were not read (--timeout)"), null)
                : new VerifyRow(s.Copy, s.Execution, new VerificationOutcome("running", "still running when --timeout ended the wait; it goes on, and 'amiinfra release status' shows its result"), null)).ToList();
        }

        context.Progress.Done();
        var rows = new List<VerifyRow>();
        foreach (var (copy, execution) in started)
        {
            var lookup = await new RegionGateway(context.Aws, copy.Region).LookupImageAsync(copy.ImageId, cancellationToken).ConfigureAwait(false);
            var after = lookup.Image is null ? null : ReleaseCopy.From(copy.Region, lookup.Image);
            rows.Add(new VerifyRow(copy, execution, ReleasePlanner.Outcome(ended[execution], after), after));
        }

        return rows;
    }

    private static string Started(IReadOnlyCollection<(ReleaseCopy Copy, string Execution)> started) =>
        started.Count == 0 ? "" : $"; already started: {string.Join(", ", started.Select(s => s.Execution))}";

    private static async Task<ReleaseRow> ActAsync(List<ReleaseRow> rows, string region, string what, Func<Task> call, ReleaseRow done)
    {
        await CallAsync(rows, region, what, async () =>
        {
            await call().ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);
        return done;
    }

    /// <summary>Makes one call; when AWS refuses it, the command stops with the error, where it stopped, and what was done before.</summary>
    private static async Task<T> CallAsync<T>(List<ReleaseRow> rows, string region, string what, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (AmazonServiceException e)
        {
            var error = CommandRunner.ToUserError(e);
            var done = rows.Where(r => !r.Refused && !r.NotDone && !r.Result.StartsWith("already", StringComparison.Ordinal) && !r.Result.Contains("already", StringComparison.Ordinal)).ToList();
            var before = done.Count == 0 ? "nothing was changed before it" : $"done before it: {string.Join("; ", done.Select(r => $"{r.Region} {r.Resource} {r.Id}: {r.Result}"))}";
            throw new OpsException(error.ExitCode, $"{error.Message} (while {what} in {region}); {before}. Every step is idempotent: rerun the command to finish", e);
        }
    }
}
