using System.CommandLine;
using AmiInfra.Ops.Aws;
using AmiInfra.Ops.Billing;
using AmiInfra.Ops.Cli;
using AmiInfra.Ops.Usage;

namespace AmiInfra.Ops.Commands;

/// <summary><c>amiinfra billing</c>: an AMI's billing information.</summary>
public static class BillingCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CommandRunner runner)
    {
        var images = new Argument<string[]>("ami-id") { Description = "The AMIs (ami-...).", Arity = ArgumentArity.OneOrMore };
        var command = new Command("billing", "Show the billing information of AMIs, as \"Obtaining billing information\" describes: platform details, usage operation (the billing code of instances launched from it) and product codes (AWS Marketplace).")
        {
            images,
        };
        return runner.Define(
            command,
            ["amiinfra billing ami-0123456789abcdef0 --region us-east-1", "amiinfra billing ami-0123456789abcdef0 ami-0fedcba9876543210 --output json"],
            async (context, parseResult, cancellationToken) =>
            {
                var ids = AmiIds.Validate(parseResult.GetValue(images));
                var region = context.SingleRegion();
                var factory = context.FactoryIfPresent();
                await context.AccountAsync(region, null, cancellationToken).ConfigureAwait(false);
                var gateway = new RegionGateway(context.Aws, region);
                var resolved = await ImageResolver.ResolveAsync(context, gateway, ids, factory, null, allowGone: false, cancellationToken).ConfigureAwait(false);
                return context.Write(new BillingReport(region, ids.Select(id => resolved.Existing[id]).ToList()));
            });
    }
}
