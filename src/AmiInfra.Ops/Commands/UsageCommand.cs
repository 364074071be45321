using System.CommandLine;
using AmiInfra.Ops.Aws;
using AmiInfra.Ops.Cli;
using AmiInfra.Ops.Usage;

namespace AmiInfra.Ops.Commands;

/// <summary><c>amiinfra usage</c>: who uses an AMI.</summary>
public static class UsageCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CommandRunner runner)
    {
        var images = new Argument<string[]>("ami-id") { Description = "The AMIs (ami-...).", Arity = ArgumentArity.OneOrMore };
        var command = new Command("usage", $"Show who uses AMIs of one region: instances (any state but terminated), launch templates (every version), launch configurations and their Auto Scaling groups, SSM parameters (data type aws:ec2:image, and the factory's own outputs) and Image Builder recipes, and who may launch them (accounts, organizations, OUs, public). EC2's DescribeImageReferences answers where it can, each kind's own API where it cannot; the report says which API looked for each kind. Exit code {ExitCodes.Incomplete} when a kind could not be looked for (a denied call), {ExitCodes.NotFound} for an AMI that does not exist in the region.")
        {
            images,
        };
        return runner.Define(
            command,
            ["amiinfra usage ami-0123456789abcdef0", "amiinfra usage ami-0123456789abcdef0 ami-0fedcba9876543210 --region eu-west-1 --output json"],
            async (context, parseResult, cancellationToken) =>
            {
                var ids = AmiIds.Validate(parseResult.GetValue(images));
                var region = context.SingleRegion();
                var factory = context.FactoryIfPresent();
                await context.AccountAsync(region, factory, cancellationToken).ConfigureAwait(false);
                var gateway = new RegionGateway(context.Aws, region);
                var resolved = await ImageResolver.ResolveAsync(context, gateway, ids, factory, null, allowGone: false, cancellationToken).ConfigureAwait(false);
                var existing = ids.Select(id => resolved.Existing.TryGetValue(id, out var image) ? image : null).OfType<Amazon.EC2.Model.Image>().ToList();
                var (guards, lookup) = await ImageGuards.CheckAsync(gateway, existing, factory, cancellationToken).ConfigureAwait(false);
                context.NoteUsage(lookup);
                foreach (var (id, owner) in resolved.NotOwned)
                {
                    context.NotRead($"AMI {id}", $"it belongs to account {owner}: its users in other accounts are not visible here, and its launch permissions only to its owner");
                }

                return context.Write(new UsageReport(region, ids.Where(guards.ContainsKey).Select(id => guards[id]).ToList(), lookup.Source));
            });
    }
}
