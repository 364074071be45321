using AmiInfra.Ops.Core;
using AmiInfra.Ops.Cli;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};
return await AmiInfraCli.RunAsync(args, CliEnvironment.FromProcess(), cancellation.Token).ConfigureAwait(false);
