using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace AmiInfra.Declaration.Tests;

/// <summary>
/// A fault the loader finds and the schema cannot express: it needs two values compared, the
/// factory's and an image's blocks merged, or the file system.
/// </summary>
/// <param name="Name">What is wrong, briefly.</param>
/// <param name="Reason">Why only the loader can tell.</param>
/// <param name="Matches">Recognizes the loader's message for this fault.</param>
internal sealed record LoaderOnlyFault(string Name, string Reason, Func<DeclarationException, bool> Matches)
{
    public override string ToString() => Name;
}

/// <summary>What the schema says of a declaration.</summary>
/// <param name="Valid">Whether it validates.</param>
/// <param name="Errors">The failing locations (JSON pointers) with their messages.</param>
internal sealed record SchemaVerdict(bool Valid, IReadOnlyList<(string Location, string Message)> Errors)
{
    public override string ToString() =>
        Valid ? "valid" : string.Join("; ", Errors.Select(e => $"{(e.Location.Length == 0 ? "/" : e.Location)}: {e.Message}"));
}

/// <summary>
/// Reads declarations with both the loader and factory/factory.schema.json, and fails when they
/// disagree: the schema accepts exactly what the loader accepts, except for the faults listed in
/// <see cref="LoaderOnly"/>, which the schema accepts and the loader rejects.
/// </summary>
internal static partial class SchemaAgreement
{
    public static JsonSchema Schema { get; } = JsonSchema.FromFile(SchemaModel.SchemaPath);

    // One evaluation at a time: JsonSchema.Net 7.4 gave wrong verdicts when test classes evaluated the same schema in parallel.
    private static readonly Lock EvaluationLock = new();

    /// <summary>Every fault the loader finds that the schema cannot express, with the reason.</summary>
    public static IReadOnlyList<LoaderOnlyFault> LoaderOnly { get; } =
    [
        new("an image name used twice",
            "uniqueness of one field across the items of a list (JSON Schema's uniqueItems compares whole items)",
            e => Regex.IsMatch(e.Path, @"^images\[\d+\]\.name$") && e.Accepted.StartsWith("a name not already used", StringComparison.Ordinal)),
        new("an OU outside the declared organizations",
            "compares the OU ARN with organization.id and the organization ARNs, which may be in another block",
            e => e.Accepted.StartsWith("an OU of the declared organization", StringComparison.Ordinal)),
        new("more than 1000 launch-permission principals in all",
            "a sum over three lists (accounts, organizations, organizationalUnits)",
            e => e.Value?.EndsWith(" launch-permission principals", StringComparison.Ordinal) == true),
        new("the factory's own account among the accounts shared with or targeted",
            "compares each account with the top-level account",
            e => e.Accepted.StartsWith("an account other than the factory's own", StringComparison.Ordinal)),
        new("targetAccounts without organization.targetOrganizationalUnits",
            "targetAccounts may come from the factory's or an image's distribution; the OUs are in organization",
            e => e.Path == "organization.targetOrganizationalUnits" && e.Value is null),
        new("a public launch permission without allowPublicImages",
            "public is in a distribution block, the opt-in at the top level",
            e => e.Accepted.Contains("\"allowPublicImages\": true", StringComparison.Ordinal)),
        new("a public launch permission with encryption regional-key",
            "public and encryption may each come from the factory's or the image's distribution (merged field by field)",
            e => e.Value?.StartsWith("true with encryption ", StringComparison.Ordinal) == true),
        new("encryption aws/ebs with sharing or target accounts",
            "encryption, launchPermissions and targetAccounts may each come from the factory's or the image's distribution",
            e => e.Value == "\"aws/ebs\" with sharing or target accounts"),
        new("a launch template outside the distribution regions",
            "the regions may come from the factory's distribution, the image's, or the home region",
            e => e.Accepted.StartsWith("one of the distribution regions", StringComparison.Ordinal)),
        new("Fast Launch on a Linux image",
            "fastLaunch may come from the factory's distribution; the platform is the image's",
            e => e.Path.EndsWith(".fastLaunch", StringComparison.Ordinal) && e.Value?.StartsWith("Fast Launch on a Linux image", StringComparison.Ordinal) == true),
        new("Fast Launch declared twice for one region",
            "uniqueness of one field across the items of a list (JSON Schema's uniqueItems compares whole items)",
            e => e.Path.Contains(".fastLaunch[", StringComparison.Ordinal) && e.Accepted.StartsWith("a region without Fast Launch settings already", StringComparison.Ordinal)),
        new("a license configuration of a region the AMI does not go to, or of another partition",
            "compares the ARN's region with the distribution regions and the home region's partition",
            e => e.Path.Contains(".licenseConfigurations", StringComparison.Ordinal) && e.Accepted.StartsWith("a license configuration of ", StringComparison.Ordinal)),
        new("more than 50 license configurations in one region",
            "a count per region over the ARNs of one list",
            e => e.Path.EndsWith(".licenseConfigurations", StringComparison.Ordinal) && e.Value?.Contains(" license configurations of ", StringComparison.Ordinal) == true),
        new("a release subnet outside the image's distribution regions",
            "the regions may come from the factory's distribution, the image's, or the home region",
            e => e.Accepted.StartsWith("one of the image's distribution regions", StringComparison.Ordinal)),
        new("retirement steps out of order",
            "compares the numbers of two steps (deprecate before disable before delete)",
            e => e.Accepted.StartsWith("more than ", StringComparison.Ordinal) && e.Path.Contains("lifecycle", StringComparison.Ordinal)),
        new("a count rule keeping fewer AMIs than keepAtLeast",
            "compares keepNewest with keepAtLeast",
            e => e.Accepted.StartsWith("at least keepAtLeast", StringComparison.Ordinal)),
        new("a snapshot retention shorter than the AMI retention",
            "compares snapshotRetentionDays with amiRetentionDays",
            e => e.Accepted.StartsWith("at least amiRetentionDays", StringComparison.Ordinal)),
        new("a cron expression with bad field values",
            "the schema checks the cron(...) form with six fields; ranges, names, steps and the '?' rule are the cron parser's",
            e => e.Path.EndsWith(".schedule.cron", StringComparison.Ordinal)),
        new("a component document or user data script that does not exist",
            "needs the file system",
            e => e.Value?.EndsWith(", which does not exist next to the declaration", StringComparison.Ordinal) == true),
        new("a user data script over 16,383 bytes",
            "needs the file system",
            e => e.Path.EndsWith(".userDataFile", StringComparison.Ordinal) && e.Value?.Contains("a script of ", StringComparison.Ordinal) == true),
        new("a component document AWSTOE would refuse",
            "needs the file system and an AWSTOE reader",
            e => e.Path.EndsWith(".file", StringComparison.Ordinal) && !e.Path.Contains(".workflows[", StringComparison.Ordinal) && e.Value?.Contains("(line ", StringComparison.Ordinal) == true),
        new("component parameters the document does not declare, or a required one not given",
            "compares the declaration with the component document",
            e => Regex.IsMatch(e.Path, @"\.components\[\d+\]\.parameters")),
        new("only test components in a recipe",
            "needs the component documents",
            e => e.Accepted.StartsWith("at least one build component", StringComparison.Ordinal)),
        new("two component documents that would get one name",
            "compares the components of every image",
            e => e.Accepted.Contains("two different documents never share a component", StringComparison.Ordinal) || e.Accepted.Contains("one document, one name", StringComparison.Ordinal)),
        new("an AWS-managed component of another platform",
            "compares the component with the image's platform",
            e => e.Path.EndsWith(".managed", StringComparison.Ordinal) && e.Accepted.StartsWith("an AWS-managed component for ", StringComparison.Ordinal)),
        new("a region or ARN of another partition than the factory's",
            "compares each region and ARN with the home region",
            e => e.Accepted.StartsWith("a region of the factory's partition", StringComparison.Ordinal) || e.Accepted.StartsWith("an ARN of the factory's partition", StringComparison.Ordinal)),
        new("an SSM parameter name too long for its ARN",
            "Parameter Store counts the ARN, which names the region and account, within 1,011 characters",
            e => e.Accepted.Contains("Parameter Store counts its ARN", StringComparison.Ordinal)),
        new("more IOPS or throughput than the volume's size allows",
            "a ratio between two fields (IOPS per GiB, MiB/s per IOPS)",
            e => e.Path.Contains(".rootVolume.", StringComparison.Ordinal) && e.Accepted.Contains(" per ", StringComparison.Ordinal)),
        new("more tags on a resource than AWS allows, once the factory's, the image's and AmiInfra's are merged",
            "a count over two or three maps (the factory's tags, the image's, amiTags)",
            e => e.Value?.Contains(" tags in all (", StringComparison.Ordinal) == true),
        new("a factory tag key a StackSet refuses, with targetAccounts",
            "targetAccounts may come from any image's distribution; the tags are the factory's",
            e => e.Accepted.Contains("the factory deploys a StackSet", StringComparison.Ordinal)),
        new("a delegated administrator for StackSets that is the management account",
            "compares organization.managementAccount with the top-level account",
            e => e.Path == "organization.stackSetsFrom" && e.Value?.EndsWith(", the management account", StringComparison.Ordinal) == true),
        new("the management account among the target accounts",
            "compares each target account with organization.managementAccount",
            e => e.Accepted.StartsWith("an account other than the organization's management account", StringComparison.Ordinal)),
        new("a launch template of another account without target OUs",
            "the launch template's account is in a distribution block, the OUs in organization",
            e => e.Path.EndsWith(".accountId", StringComparison.Ordinal) && e.Accepted.StartsWith("the factory's own account, or an account of organization.targetOrganizationalUnits", StringComparison.Ordinal)),
        new("a launch template of an account the AMI does not reach",
            "compares the launch template's account with the target accounts and launch permissions, which may come from another block",
            e => e.Path.EndsWith(".accountId", StringComparison.Ordinal) && e.Accepted.StartsWith("an account the AMI reaches", StringComparison.Ordinal)),
        new("a public launch permission while governance blocks public access for AMIs",
            "public is in a distribution block (the factory's or an image's), the block in governance",
            e => e.Value?.EndsWith("while governance.imageBlockPublicAccess is true", StringComparison.Ordinal) == true),
        new("a workflow document Image Builder would refuse",
            "needs the file system and a workflow document reader",
            e => Regex.IsMatch(e.Path, @"\.workflows\[\d+\]\.file$") && e.Value?.Contains("(line ", StringComparison.Ordinal) == true),
        new("workflow parameters the document does not declare, of another type, or a required one not given",
            "compares the declaration with the workflow document",
            e => Regex.IsMatch(e.Path, @"\.workflows\[\d+\]\.parameters")),
        new("onFailure or parallelGroup on a workflow that is not a TEST workflow",
            "the type of a managed workflow comes from AmiInfra's catalog, not the declaration",
            e => Regex.IsMatch(e.Path, @"\.workflows\[\d+\]\.(onFailure|parallelGroup)$") && e.Accepted.Contains("applies to test workflows only", StringComparison.Ordinal)),
        new("a second BUILD or DISTRIBUTION workflow",
            "counts the items of a list by a field whose value may come from AmiInfra's catalog",
            e => Regex.IsMatch(e.Path, @"\.workflows\[\d+\]\.type$") && e.Accepted.StartsWith("at most one ", StringComparison.Ordinal)),
        new("a TEST workflow while tests are disabled",
            "compares the workflows with tests.enabled",
            e => e.Value?.Contains("while images[", StringComparison.Ordinal) == true && e.Value.EndsWith(".tests.enabled is false", StringComparison.Ordinal)),
        new("one workflow document with two types or names, or two documents with one name",
            "compares the workflows of every image, and the files they name",
            e => e.Accepted.Contains("one document, one workflow of one type", StringComparison.Ordinal) || (e.Path.Contains(".workflows[", StringComparison.Ordinal) && (e.Accepted.Contains("one workflow document, one name", StringComparison.Ordinal) || e.Accepted.Contains("two different documents never share a workflow", StringComparison.Ordinal)))),
        new("an AWS-managed workflow AmiInfra does not know without its type, or with another type than its own",
            "needs AmiInfra's catalog of managed workflows",
            e => Regex.IsMatch(e.Path, @"\.workflows\[\d+\]\.type$") && (e.Accepted.StartsWith("the type of ", StringComparison.Ordinal) || e.Accepted.Contains(", the type of the AWS-managed ", StringComparison.Ordinal))),
        new("more than ten workflows once AmiInfra adds build-image or test-image",
            "counts the workflows the loader adds",
            e => e.Accepted.Contains("which AmiInfra adds", StringComparison.Ordinal)),
        new("a workflow step that names its topic, function or state machine only at run time",
            "needs the workflow document",
            e => Regex.IsMatch(e.Path, @"\.workflows\[\d+\]\.file$") && e.Accepted.Contains("AmiInfra makes the pipeline's execution role", StringComparison.Ordinal)),
        new("an output name two workflows of one pipeline give",
            "compares the outputs of the workflow documents",
            e => e.Accepted.StartsWith("output names unique across the pipeline's workflows", StringComparison.Ordinal)),
        new("an instance type EC2 does not have (a size its family does not come in)",
            "the catalogue of EC2's instance types (some 1,300, InstanceTypes.Families) is the loader's; the schema checks their shape",
            e => e.Accepted.StartsWith("an instance type EC2 has: ", StringComparison.Ordinal)),
        new("instance types of another architecture than the image's",
            "compares instanceTypes (the image's, or else the factory's) with the parent's name and the platform",
            e => e.Accepted.StartsWith("an instance type of the image's architecture", StringComparison.Ordinal) || e.Accepted.Contains("Mac instances run macOS AMIs only", StringComparison.Ordinal)),
        new("a root volume smaller than the parent's root snapshot",
            "compares rootVolume.sizeGiB with the parent",
            e => e.Accepted.Contains("EC2 creates no volume smaller than its snapshot", StringComparison.Ordinal)),
        new("an Availability Zone of another region than the home region",
            "compares placement.availabilityZone with the top-level region",
            e => e.Path.EndsWith(".placement.availabilityZone", StringComparison.Ordinal)),
        new("an event bus of another partition, or of a region EventBridge does not deliver to from the home region",
            "compares build.eventBus with the top-level region",
            e => e.Path == "build.eventBus"),
        new("a whole number written with a fraction or an exponent, such as 20.0",
            "JSON Schema's integer is a mathematical integer (20.0 is one); the loader takes whole numbers written as such",
            e => e.Accepted.StartsWith("a whole number", StringComparison.Ordinal) && !e.Path.EndsWith(".file", StringComparison.Ordinal) && e.Value is { } v && (v.Contains('.', StringComparison.Ordinal) || v.Contains('e', StringComparison.OrdinalIgnoreCase))),
    ];

    /// <summary>Evaluates a declaration's text (comments allowed, as the loader allows them) against the schema.</summary>
    public static SchemaVerdict Evaluate(string json)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
            Touch(node); // JsonNode reads objects lazily: a duplicate key throws only when they are read.
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            // A key given twice makes JsonNode throw ArgumentException: JSON readers disagree on such a file.
            return new SchemaVerdict(false, [("", "not JSON: " + e.Message)]);
        }

        EvaluationResults results;
        lock (EvaluationLock)
        {
            results = Schema.Evaluate(node, new EvaluationOptions { OutputFormat = OutputFormat.List });
        }

        var details = results.Details.Count > 0 ? results.Details : [results];
        var invalid = details.Where(d => !d.IsValid).Select(d => (d.EvaluationPath.ToString(), d.InstanceLocation.ToString())).ToHashSet();
        var errors = details
            .Where(d => d.Errors is { Count: > 0 } && IsFault(d.EvaluationPath.ToString(), d.InstanceLocation.ToString(), invalid))
            .SelectMany(d => d.Errors!.Select(e => (d.InstanceLocation.ToString(), $"{e.Key}: {e.Value}")))
            .ToList();
        return new SchemaVerdict(results.IsValid, errors);
    }

    private static void Touch(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, value) in o)
                {
                    Touch(value);
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    Touch(item);
                }

                break;
        }
    }

    /// <summary>
    /// Loads a declaration with the loader, checks that the schema agrees, and returns the factory
    /// (or throws the loader's <see cref="DeclarationException"/>).
    /// </summary>
    public static Factory Parse(string json, string baseDirectory)
    {
        var verdict = Evaluate(json);
        Factory factory;
        try
        {
            factory = FactoryLoader.Parse(json, baseDirectory);
        }
        catch (DeclarationException e)
        {
            AgreesOnRejection(verdict, e);
            throw;
        }

        Assert.True(verdict.Valid, $"The loader accepts the declaration but the schema rejects it: {verdict}");
        return factory;
    }

    /// <summary>
    /// The loader rejected a declaration: the schema must reject it too, at the loader's field or
    /// an object holding it, unless the fault is a loader-only one.
    /// </summary>
    public static void AgreesOnRejection(SchemaVerdict verdict, DeclarationException e)
    {
        Assert.False(string.IsNullOrEmpty(e.Path), $"The message names no field: {e.Message}");
        if (verdict.Valid)
        {
            var faults = LoaderOnly.Where(f => f.Matches(e)).ToList();
            Assert.True(faults.Count == 1, $"The loader rejects the declaration ({e.Message}) but the schema accepts it, and the fault is {(faults.Count == 0 ? "not one" : "more than one")} of the loader-only faults.");
            return;
        }

        var pointer = Pointer(e.Path);
        Assert.True(
            verdict.Errors.Any(error => IsWithin(pointer, error.Location)),
            $"The loader rejects {e.Path} ({e.Message}), the schema rejects something else: {verdict}");
    }

    /// <summary>A loader path such as <c>images[0].tags.keep me</c> as a JSON pointer, <c>/images/0/tags/keep me</c>.</summary>
    public static string Pointer(string path)
    {
        if (path.StartsWith('/') || path.Contains(" (line ", StringComparison.Ordinal) || path.Contains(", line ", StringComparison.Ordinal) || path == "declaration")
        {
            return ""; // The declaration itself (a file name): not JSON at all.
        }

        var segments = new List<string>();
        foreach (var (part, isKey) in SplitPath(path))
        {
            if (isKey)
            {
                segments.Add(part);
                continue;
            }

            var match = Regex.Match(part, @"^(.*?)((?:\[\d+\])*)$");
            if (match.Groups[1].Value.Length > 0)
            {
                segments.Add(match.Groups[1].Value);
            }

            segments.AddRange(Regex.Matches(match.Groups[2].Value, @"\d+").Select(m => m.Value));
        }

        return string.Concat(segments.Select(s => "/" + s.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)));
    }

    // Tag keys may hold dots: a dot splits the path only up to the last map (tags, amiTags, parameters).
    private static IEnumerable<(string Part, bool IsKey)> SplitPath(string path)
    {
        var parts = path.Split('.');
        for (var i = 0; i < parts.Length; i++)
        {
            yield return (parts[i], false);
            if (parts[i] is "tags" or "amiTags" or "parameters" && i + 1 < parts.Length)
            {
                yield return (string.Join('.', parts[(i + 1)..]), true);
                yield break;
            }
        }
    }

    /// <summary>Whether the schema's error location is the loader's field or one of the objects holding it.</summary>
    /// (The top level counts only for a top-level field: a missing or unknown one.)
    private static bool IsWithin(string loaderPointer, string schemaLocation) =>
        loaderPointer == schemaLocation
        || (schemaLocation.Length > 0 && loaderPointer.StartsWith(schemaLocation + "/", StringComparison.Ordinal))
        || (schemaLocation.Length == 0 && loaderPointer.LastIndexOf('/') <= 0);

    /// <summary>
    /// Whether a failing subschema is a fault of the declaration: the condition of an if or the
    /// subschema of a not never is; a branch of a oneOf or anyOf is when the oneOf or anyOf failed.
    /// </summary>
    private static bool IsFault(string evaluationPath, string instanceLocation, HashSet<(string, string)> invalid)
    {
        var branches = Branch().Matches(evaluationPath);
        if (branches.Count == 0)
        {
            return true;
        }

        var last = branches[^1];
        return last.Groups[1].Value is "oneOf" or "anyOf" && invalid.Contains((evaluationPath[..last.Index], instanceLocation));
    }

    [GeneratedRegex("/(oneOf|anyOf|if|not)(?:/[0-9]+)?(?=/|$)")]
    private static partial Regex Branch();
}
