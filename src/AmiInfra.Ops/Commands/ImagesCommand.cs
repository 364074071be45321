using System.CommandLine;
using AmiInfra.Ops.Cli;
using AmiInfra.Ops.Inventory;

namespace AmiInfra.Ops.Commands;

/// <summary><c>amiinfra images</c>: the factory's AMIs across its regions.</summary>
public static class ImagesCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CommandRunner runner)
    {
        var withUsage = new Option<bool>("--usage") { Description = "Also show who uses each AMI (instances, launch templates, SSM parameters, recipes)." };
        var command = new Command("images", "List the factory's AMIs in every declared region (found by their amiinfra:factory tag): region, id, name, creation date, age, state, encryption key, sharing, deprecation time; with --usage, who uses each. Regions are read concurrently, every page.")
        {
            withUsage,
        };
        return runner.Define(
            command,
            ["amiinfra images", "amiinfra images --usage", "amiinfra images --regions us-east-1,eu-west-1 --output json", "amiinfra images --declaration ../other-factory/factory.json --profile prod"],
            async (context, parseResult, cancellationToken) =>
            {
                var factory = context.LoadFactory();
                var amis = await FactoryInventory.LoadAsync(context, factory, context.FactoryRegions(factory), cancellationToken).ConfigureAwait(false);
                if (!parseResult.GetValue(withUsage))
                {
                    return context.Write(new ImagesReport(amis, context.Now));
                }

                var lookup = await FactoryInventory.UsageAsync(context, factory, amis, readOnly: true, cancellationToken).ConfigureAwait(false);
                context.NoteUsage(lookup);
                return context.Write(new ImagesReport(amis, context.Now, lookup.ByImage, lookup.Source));
            });
    }
}
