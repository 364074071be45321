using AmiInfra.App.Stacks;
using AmiInfra.Constructs;
using AmiInfra.Declaration;

namespace AmiInfra.App;

/// <summary>
/// The CDK app: reads the declaration named by the <c>declaration</c> context key (default
/// <c>factory</c>), composes its stacks and synthesizes them. A bad declaration is reported as
/// one line on stderr with a non-zero exit code, and no template is written.
/// </summary>
public static class FactoryApp
{
    /// <summary>The context key that names the declaration (file or folder).</summary>
    public const string DeclarationContextKey = "declaration";

    /// <summary>Synthesizes the app; returns the process exit code.</summary>
    /// <param name="errors">Where a bad declaration is reported.</param>
    /// <param name="props">App properties (tests set the output folder and context). Default: those the CDK CLI passes.</param>
    public static int Run(TextWriter errors, Amazon.CDK.IAppProps? props = null)
    {
        try
        {
            var app = new Amazon.CDK.App(props);
            var path = app.Node.TryGetContext(DeclarationContextKey) as string ?? "factory";
            var factory = FactoryLoader.Load(path);
            FactoryComposition.Compose(app, factory, path);
            var findings = Errors(Synthesize(app, factory)).ToList();
            foreach (var error in findings)
            {
                errors.WriteLine($"amiinfra: {error}");
            }

            return findings.Count == 0 ? 0 : 1;
        }
        catch (Exception e) when (UserError(e) is { } message)
        {
            errors.WriteLine($"amiinfra: {message}");
            return 1;
        }
    }

    /// <summary>Runs the guardrails, then synthesizes: what every caller of a composed factory does.</summary>
    public static Amazon.CDK.CXAPI.CloudAssembly Synthesize(Amazon.CDK.App app, Factory factory)
    {
        FactoryComposition.Check(app, factory);
        return app.Synth();
    }

    /// <summary>Error annotations (guardrail findings) of every stack, nested stages included.</summary>
    public static IEnumerable<string> Errors(Amazon.CDK.CXAPI.CloudAssembly assembly) =>
        assembly.Stacks
            .SelectMany(s => s.Messages)
            .Where(m => m.Level == Amazon.CDK.CXAPI.SynthesisMessageLevel.ERROR)
            .Select(m => $"{m.Id}: {m.Entry.Data}")
            .Concat(assembly.NestedAssemblies.SelectMany(n => Errors(n.NestedAssembly)));

    /// <summary>The message of an error in the declaration or its documents; null for a defect.</summary>
    internal static string? UserError(Exception e) => e switch
    {
        DeclarationException d => d.Message,
        ConstructValidationException c => c.Message,
        _ => null,
    };
}
