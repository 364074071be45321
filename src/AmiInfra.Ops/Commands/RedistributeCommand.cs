using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;
using AmiInfra.Ops.Aws;
using AmiInfra.Ops.Cli;
using AmiInfra.Ops.Core;
using AmiInfra.Ops.Redistribution;
using AmiInfra.Rules;
using AmiInfra.Rules.Workflows;

namespace AmiInfra.Ops.Commands;

/// <summary>
/// <c>amiinfra redistribute IMAGE</c>: distributes an existing build of a declared image to the regions and target
/// accounts its deployed distribution configuration names and the build has not reached (a region or account added
/// since it was built), with Image Builder's DistributeImage and without a rebuild. Dry run unless --yes.
/// </summary>
/// <remarks>
/// DistributeImage distributes to every target of the configuration it is given ("The configuration defines target
/// Regions, accounts, and AMI settings", API_DistributeImage.html), so the command creates a one-off distribution
/// configuration holding only the missing targets, copied from the deployed one, and deletes it once the distribution
/// ends. The image resource DistributeImage creates is tagged with the build it redistributes, which is how a later run
/// knows what earlier ones reached; AWS's pages do not say under which image name that resource is listed, and the
/// command looks for it among the build versions of the image's own name.
/// </remarks>
public static class RedistributeCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CommandRunner runner)
    {
        var image = new Argument<string>("image") { Description = "The declared image (its name in the declaration)." };
        var build = new Option<string?>("--build") { Description = "The build to distribute, as VERSION/BUILD (e.g. 1.0.3/2, as 'amiinfra images' shows it). Default: the newest AVAILABLE build.", HelpName = "VERSION/BUILD" };
        var role = new Option<string?>("--execution-role") { Description = "The IAM role (name or ARN) Image Builder assumes to distribute: it needs the EC2ImageBuilderExecutionPolicy managed policy and to trust imagebuilder.amazonaws.com. Default: the image's workflow execution role (<factory>-<image>-workflows), which images with workflows have.", HelpName = "ROLE" };
        var yes = new Option<bool>("--yes") { Description = "Do it, and wait until the distribution ends (bounded by --timeout). Without --yes the command only shows what it would do." };
        var command = new Command("redistribute", "Distribute an existing build of an image to the regions and target accounts of its deployed distribution configuration that the build has not reached (a region or account added since it was built), with Image Builder's DistributeImage, without a rebuild. Only the missing targets are distributed to, through a one-off distribution configuration deleted when the distribution ends. Dry run unless --yes.")
        {
            image, build, role, yes,
        };
        return runner.Define(
            command,
            ["amiinfra redistribute al2023", "amiinfra redistribute al2023 --yes", "amiinfra redistribute al2023 --build 1.0.3/2 --execution-role my-distribution-role --yes"],
            async (context, parseResult, cancellationToken) =>
            {
                var factory = context.LoadFactory();
                var name = parseResult.GetValue(image)!;
                var declared = factory.Images.FirstOrDefault(i => i.Name == name)
                    ?? throw new OpsException(ExitCodes.Usage, $"argument image: got '{name}'; expected one of the declared images: {string.Join(", ", factory.Images.Select(i => i.Name))}");
                var wanted = parseResult.GetValue(build);
                if (wanted is not null && !System.Text.RegularExpressions.Regex.IsMatch(wanted, @"^\d+\.\d+\.\d+/\d+$"))
                {
                    throw new OpsException(ExitCodes.Usage, $"option --build: got '{wanted}'; expected VERSION/BUILD such as 1.0.3/2");
                }

                if (context.RegionsGiven && context.SingleRegion() != factory.Region)
                {
                    throw new OpsException(ExitCodes.Usage, $"option --region: got '{context.SingleRegion()}'; images are built and redistributed from the declaration's home region {factory.Region}");
                }

                var region = factory.Region;
                var account = await context.AccountAsync(region, factory, cancellationToken).ConfigureAwait(false);
                var run = new Run(context, region, account, $"{factory.Name}-{declared.Name}", declared.Name, factory.Name);
                var dryRun = !parseResult.GetValue(yes);
                var state = await run.ReadAsync(wanted, dryRun, cancellationToken).ConfigureAwait(false);
                var declaredTargets = declared.Distribution.Regions.SelectMany(r => declared.Distribution.TargetAccounts.Prepend(account).Select(a => new DistributionTarget(r, a))).Distinct().ToList();
                var notDeployed = declaredTargets.Except(state.Targets).ToList();
                var missing = state.Statuses.Where(s => s.State == TargetState.Missing).Select(s => s.Target).ToList();
                var notes = new List<string>(state.Notes);
                if (missing.Any(m => m.Account != account && state.Statuses.Any(s => s.Target == m with { Account = account } && s.State == TargetState.Present)))
                {
                    notes.Add("Image Builder distributes a region as a whole: distributing to a missing target account in a region the build already reaches may also make another copy in this account there.");
                }

                if (dryRun || missing.Count == 0)
                {
                    var rows = state.Statuses.Select(s => Row(s, dryRun ? "would distribute" : "missing")).ToList();
                    var report = new RedistributionReport(region, run.ImageName, state.Source.VersionAndBuild, state.Newest, dryRun, rows, notDeployed, notes, null, ExitCodes.Success);
                    return context.Write(report, report.ExitCode);
                }

                var executionRole = parseResult.GetValue(role)
                    ?? (declared.Workflows.Count > 0 ? PipelineWorkflows.ExecutionRoleName(factory.Name, declared.Name) : null)
                    ?? throw new OpsException(ExitCodes.Usage, $"option --execution-role: image '{declared.Name}' declares no workflows, so the factory gave it no execution role, and DistributeImage needs one: pass --execution-role ROLE (a role that trusts imagebuilder.amazonaws.com and has the EC2ImageBuilderExecutionPolicy managed policy)");
                if (string.IsNullOrWhiteSpace(executionRole))
                {
                    throw new OpsException(ExitCodes.Usage, "option --execution-role: got an empty role; expected a role name or ARN");
                }

                var result = await run.DistributeAsync(state, missing, executionRole, cancellationToken).ConfigureAwait(false);
                var done = new RedistributionReport(region, run.ImageName, state.Source.VersionAndBuild, state.Newest, false, result.Rows, notDeployed, notes.Concat(result.Notes).ToList(), result.Redistribution, result.ExitCode);
                return context.Write(done, done.ExitCode);
            });
    }

    private static RedistributionRow Row(TargetStatus status, string missing) => status.State switch
    {
        TargetState.Present => new RedistributionRow(status.Target, "present", status.ImageId, $"from {WorkflowCommand.ShortImage(status.By!)}"),
        TargetState.Distributing => new RedistributionRow(status.Target, "distributing", null, $"by {WorkflowCommand.ShortImage(status.By!)}"),
        _ => new RedistributionRow(status.Target, missing, null, null),
    };

    /// <summary>What a run read: the build, the deployed targets and where each stands.</summary>
    private sealed record State(ImageBuild Source, bool Newest, string ConfigurationArn, System.Text.Json.Nodes.JsonArray Deployed, IReadOnlyList<DistributionTarget> Targets, IReadOnlyList<TargetStatus> Statuses, IReadOnlyList<string> Notes);

    /// <summary>What the distribution did.</summary>
    private sealed record Outcome(IReadOnlyList<RedistributionRow> Rows, IReadOnlyList<string> Notes, string? Redistribution, int ExitCode);

    private sealed class Run(CommandContext context, string region, string account, string imageName, string image, string factory)
    {
        public string ImageName => imageName;

        private SignedRequests Signed => context.Aws.Signed;

        /// <summary>
        /// Reads the builds, the deployed configuration and where the build stands. With --yes, a redistribution of
        /// the build still under way is waited for first, and the one-off configurations of finished ones are deleted.
        /// </summary>
        public async Task<State> ReadAsync(string? wanted, bool dryRun, CancellationToken cancellationToken)
        {
            context.Progress.Report($"reading the builds of {imageName} in {region}");
            var builds = await ImageBuilderCalls.BuildVersionsAsync(Signed, region, imageName, cancellationToken).ConfigureAwait(false);
            var source = RedistributionPlan.Source(builds, wanted) ?? throw new OpsException(
                ExitCodes.NotFound,
                wanted is null
                    ? $"image {imageName} has no AVAILABLE build in {region}{(builds.Count > 0 ? $" (builds: {string.Join(", ", builds.Select(b => $"{b.VersionAndBuild} {b.Status}"))})" : "")}: run its pipeline first"
                    : $"option --build: {imageName} has no build {wanted} in {region}; its builds: {(builds.Count == 0 ? "none" : string.Join(", ", builds.Where(b => !b.Tags.ContainsKey(RedistributionPlan.RedistributesTag)).Select(b => b.VersionAndBuild)))}");
            if (source.Status != "AVAILABLE")
            {
                throw new OpsException(ExitCodes.Usage, $"option --build: build {source.VersionAndBuild} of {imageName} is {source.Status}; DistributeImage takes an AVAILABLE build only");
            }

            var notes = new List<string>();
            var partition = Partitions.Of(region)?.Name ?? "aws";
            var configurationArn = $"arn:{partition}:imagebuilder:{region}:{account}:distribution-configuration/{imageName.ToLowerInvariant()}";
            System.Text.Json.Nodes.JsonArray deployed;
            try
            {
                deployed = await ImageBuilderCalls.DistributionsAsync(Signed, region, configurationArn, cancellationToken).ConfigureAwait(false);
            }
            catch (AmazonServiceException e) when (ImageBuilderCalls.IsNotFound(e))
            {
                throw new OpsException(ExitCodes.NotFound, $"the distribution configuration {imageName} is not deployed in {region} ({e.ErrorCode}): deploy the factory first ('npx cdk deploy --all')");
            }

            var redistributions = RedistributionPlan.RedistributionsOf(builds, source);
            var details = new Dictionary<string, ImageBuild>(StringComparer.Ordinal);
            foreach (var redistribution in redistributions)
            {
                details[redistribution.Arn] = await ImageBuilderCalls.ImageAsync(Signed, region, redistribution.Arn, cancellationToken).ConfigureAwait(false);
            }

            if (!dryRun && details.Values.Any(d => d.Running))
            {
                foreach (var running in details.Values.Where(d => d.Running).ToList())
                {
                    await context.Environment.Error.WriteLineAsync($"amiinfra: waiting for the redistribution {WorkflowCommand.ShortImage(running.Arn)} under way ({running.Status})").ConfigureAwait(false);
                    details[running.Arn] = await WaitAsync(running.Arn, cancellationToken).ConfigureAwait(false);
                }
            }

            foreach (var finished in details.Values.Where(d => !d.Running && IsOneOff(d.DistributionConfigurationArn)))
            {
                if (dryRun)
                {
                    notes.Add($"The one-off distribution configuration of {WorkflowCommand.ShortImage(finished.Arn)} ({finished.Status}) is left from an earlier run; --yes deletes it.");
                }
                else
                {
                    await ImageBuilderCalls.DeleteDistributionConfigurationAsync(Signed, region, finished.DistributionConfigurationArn!, cancellationToken).ConfigureAwait(false);
                    notes.Add($"Deleted the one-off distribution configuration left by {WorkflowCommand.ShortImage(finished.Arn)} ({finished.Status}).");
                }
            }

            foreach (var failed in details.Values.Where(d => d.Status is "FAILED" or "CANCELLED"))
            {
                notes.Add($"An earlier redistribution, {WorkflowCommand.ShortImage(failed.Arn)}, is {failed.Status}{(failed.Reason is { Length: > 0 } r ? $" ({AwsErrors.OneLine(r)})" : "")}; what it did not reach is missing.");
            }

            var runningTargets = new Dictionary<string, IReadOnlyList<DistributionTarget>>(StringComparer.Ordinal);
            foreach (var running in details.Values.Where(d => d.Running && d.DistributionConfigurationArn is not null))
            {
                try
                {
                    runningTargets[running.Arn] = RedistributionPlan.Targets(await ImageBuilderCalls.DistributionsAsync(Signed, region, running.DistributionConfigurationArn!, cancellationToken).ConfigureAwait(false), account);
                }
                catch (AmazonServiceException e) when (ImageBuilderCalls.IsNotFound(e))
                {
                    runningTargets[running.Arn] = [];
                }
            }

            var targets = RedistributionPlan.Targets(deployed, account);
            var statuses = RedistributionPlan.Status(targets, source, details.Values.ToList(), runningTargets, account);
            var newest = RedistributionPlan.Newest(builds)?.Arn == source.Arn;
            context.Progress.Done();
            return new State(source, newest, configurationArn, deployed, targets, statuses, notes);
        }

        /// <summary>Creates the one-off configuration, calls DistributeImage, waits for the end, and deletes the configuration.</summary>
        public async Task<Outcome> DistributeAsync(State state, IReadOnlyList<DistributionTarget> missing, string executionRole, CancellationToken cancellationToken)
        {
            var source = state.Source;
            var distributions = RedistributionPlan.OneOffDistributions(state.Deployed, missing, account, source.Arn, state.Newest);
            var stamp = context.Now.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
            var name = $"{imageName}{RedistributionPlan.OneOffInfix}{stamp}";
            var tags = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [AmiTagKeys.Factory] = factory,
                [AmiTagKeys.Image] = image,
                [RedistributionPlan.RedistributesTag] = source.Arn,
            };

            // The same build and targets make the same tokens: a retried request is the same request (at most 36
            // characters, the shorter of the limits AWS's pages give for DistributeImage's clientToken).
            var key = $"{source.Arn}|{string.Join(',', missing.Select(m => $"{m.Region}/{m.Account}"))}|{stamp}";
            var token = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32];
            var configurationArn = await ImageBuilderCalls.CreateDistributionConfigurationAsync(Signed, region, name, $"One-off: {imageName} build {source.VersionAndBuild} to the targets it has not reached", distributions, tags, token, cancellationToken).ConfigureAwait(false);
            string redistribution;
            try
            {
                redistribution = await ImageBuilderCalls.DistributeImageAsync(Signed, region, source.Arn, configurationArn, executionRole, tags, token, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                // Nothing was started: the one-off configuration goes again (CancellationToken.None: even when the run
                // was stopped). If that fails too, the error of DistributeImage is the one to report; a rerun deletes it.
                try
                {
                    await ImageBuilderCalls.DeleteDistributionConfigurationAsync(Signed, region, configurationArn, CancellationToken.None).ConfigureAwait(false);
                }
                catch (AmazonServiceException)
                {
                }

                throw;
            }

            await context.Environment.Error.WriteLineAsync($"amiinfra: distributing {imageName} {source.VersionAndBuild} to {missing.Count} target(s) as {WorkflowCommand.ShortImage(redistribution)}; waiting until it ends (a rerun after an interruption picks it up)").ConfigureAwait(false);
            ImageBuild ended;
            try
            {
                ended = await WaitAsync(redistribution, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                var still = missing.Select(m => new RedistributionRow(m, "still distributing", null, $"by {WorkflowCommand.ShortImage(redistribution)}")).ToList();
                return new Outcome(
                    state.Statuses.Where(s => !missing.Contains(s.Target)).Select(s => Row(s, "missing")).Concat(still).ToList(),
                    [$"Stopped waiting (--timeout); the distribution goes on. Rerun the command to wait for it and delete its one-off distribution configuration {name}."],
                    redistribution,
                    ExitCodes.TimedOut);
            }

            var notes = new List<string>();
            try
            {
                await ImageBuilderCalls.DeleteDistributionConfigurationAsync(Signed, region, configurationArn, cancellationToken).ConfigureAwait(false);
            }
            catch (AmazonServiceException e)
            {
                notes.Add($"Could not delete the one-off distribution configuration {name} ({e.ErrorCode}: {AwsErrors.OneLine(e.Message)}); a rerun deletes it.");
            }

            var rows = new List<RedistributionRow>();
            foreach (var status in state.Statuses)
            {
                if (!missing.Contains(status.Target))
                {
                    rows.Add(Row(status, "missing"));
                    continue;
                }

                var output = ended.Outputs.FirstOrDefault(o => o.Region == status.Target.Region && (o.AccountId ?? account) == status.Target.Account);
                rows.Add(output is not null
                    ? new RedistributionRow(status.Target, "distributed", output.ImageId, $"by {WorkflowCommand.ShortImage(redistribution)}")
                    : new RedistributionRow(status.Target, "failed", null, $"{WorkflowCommand.ShortImage(redistribution)} is {ended.Status}{(ended.Reason is { Length: > 0 } r ? $": {AwsErrors.OneLine(r)}" : "")}; a rerun tries again", Failed: true));
            }

            return new Outcome(rows, notes, redistribution, rows.Any(r => r.Failed) ? ExitCodes.PartialFailure : notes.Count > 0 ? ExitCodes.PartialFailure : ExitCodes.Success);
        }

        /// <summary>Polls GetImage until Image Builder no longer works on the image.</summary>
        private async Task<ImageBuild> WaitAsync(string arn, CancellationToken cancellationToken)
        {
            while (true)
            {
                var current = await ImageBuilderCalls.ImageAsync(Signed, region, arn, cancellationToken).ConfigureAwait(false);
                if (!current.Running)
                {
                    return current;
                }

                context.Progress.Report($"{WorkflowCommand.ShortImage(arn)}: {current.Status}");
                await Task.Delay(context.Environment.PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }

        private bool IsOneOff(string? configurationArn) =>
            configurationArn is not null && configurationArn.Contains($"distribution-configuration/{imageName.ToLowerInvariant()}{RedistributionPlan.OneOffInfix}", StringComparison.Ordinal);
    }
}
