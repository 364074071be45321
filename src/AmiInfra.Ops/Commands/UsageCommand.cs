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
        var command = new Command("usage", $"Show who uses AMIs of one region: instances (any state but terminated), launch templates, SSM parameters and Image Builder recipes (EC2 DescribeImageReferences; where it is unavailable, DescribeInstances and the default and latest launch template versions, and the report says so), and who may launch them (accounts, organizations, OUs, public). Exit code {ExitCodes.NotFound} for an AMI that does not exist in the region.")
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
                var (guards, source) = await ImageGuards.CheckAsync(gateway, ids.Select(id => resolved.Existing[id]).ToList(), factory?.Name, cancellationToken).ConfigureAwait(false);
                return context.Write(new UsageReport(region, ids.Select(id => guards[id]).ToList(), source));
            });
    }
}
