using System.Reflection;
using System.Text.Json;
using Amazon.CDK;
using CfnRule = Amazon.CDK.AWS.Events.CfnRule;
using CfnRuleProps = Amazon.CDK.AWS.Events.CfnRuleProps;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using AmiInfra.Rules;
using Constructs;

namespace AmiInfra.Constructs.Lifecycle;

/// <summary>One image whose AMIs a <see cref="RetentionMarker"/> marks, with the rules of its lifecycle policy.</summary>
public sealed record RetentionMarkerImage
{
    /// <summary>The image's name: the value of the <c>amiinfra:image</c> tag its AMIs carry. No default.</summary>
    public required string ImageName { get; init; }

    /// <summary>
    /// The name of the image's recipe, which names the Image Builder images built from it (their ARNs are
    /// <c>image/&lt;recipe&gt;/&lt;version&gt;/&lt;build&gt;</c>): an image state change is matched to the image by it. No default.
    /// </summary>
    public required string RecipeName { get; init; }

    /// <summary>The regions the image's AMIs are distributed to. No default.</summary>
    public required IReadOnlyList<string> Regions { get; init; }

    /// <summary>
    /// Accounts that own copies of the AMIs (the distribution's target accounts): the marker assumes the role
    /// <see cref="RetentionMarker.TargetRoleName"/> there, which <see cref="TargetAccounts.TargetAccountStackSetProps.RetentionMarkerFactory"/>
    /// deploys. Default: none (the factory account only).
    /// </summary>
    public IReadOnlyList<string> TargetAccounts { get; init; } = [];

    /// <summary>The deprecate rule of the image's lifecycle policy. Default: none.</summary>
    public LifecycleRule? Deprecate { get; init; }

    /// <summary>The disable rule of the image's lifecycle policy. Default: none.</summary>
    public LifecycleRule? Disable { get; init; }

    /// <summary>The delete rule of the image's lifecycle policy. Default: none.</summary>
    public LifecycleRule? Delete { get; init; }

    /// <summary>The policy's <see cref="AmiLifecyclePolicyProps.KeepAtLeast"/>: the window of its rules by age. Default: 1.</summary>
    public int KeepAtLeast { get; init; } = 1;

    /// <summary>The window of each declared step (<see cref="Lifecycles.WindowSize"/>): step name to the number of AMIs.</summary>
    public IReadOnlyDictionary<string, int> Windows()
    {
        var windows = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var rules = new[] { Deprecate, Disable, Delete };
        for (var i = 0; i < rules.Length; i++)
        {
            if (rules[i] is { } rule)
            {
                windows[Lifecycles.StepNames[i]] = Lifecycles.WindowSize(new LifecycleStepRule(Lifecycles.StepNames[i], rule.AfterDays, rule.KeepNewest), KeepAtLeast);
            }
        }

        return windows;
    }
}

/// <summary>Props of <see cref="RetentionMarker"/>.</summary>
public sealed record RetentionMarkerProps
{
    /// <summary>
    /// The factory: the value of the <c>amiinfra:factory</c> tag on its AMIs, and the prefix of the physical names
    /// (<c>&lt;factory&gt;-retention-marker</c>: the function, its role, its log group and its rules). 1 to 40 letters,
    /// digits and hyphens. No default.
    /// </summary>
    public required string FactoryName { get; init; }

    /// <summary>The images whose AMIs are marked (those whose lifecycle policies have <see cref="AmiLifecyclePolicyProps.RetentionWindows"/>). No default.</summary>
    public required IReadOnlyList<RetentionMarkerImage> Images { get; init; }

    /// <summary>
    /// A customer-managed key that encrypts the function's log group; a key of this app gets the key policy statement
    /// CloudWatch Logs needs (a warning says so for an imported key, whose policy cannot be changed here). Default:
    /// none (CloudWatch Logs' own encryption).
    /// </summary>
    public IKey? LogKey { get; init; }

    /// <summary>Days the function's log group keeps its events (one of the retentions CloudWatch Logs takes). Default: 90.</summary>
    public int LogRetentionDays { get; init; } = 90;

    /// <summary>
    /// A prefix every image's <see cref="RetentionMarkerImage.RecipeName"/> starts with, on which the rule of image state
    /// changes filters (so that adding an image leaves the rule's pattern as it is). Default: the longest prefix the
    /// recipe names share (up to a capital letter).
    /// </summary>
    public string? RecipePrefix { get; init; }

    /// <summary>When the marker also runs, besides after every image that becomes available (an EventBridge schedule expression). Default: rate(1 day).</summary>
    public string Schedule { get; init; } = "rate(1 day)";
}

/// <summary>
/// Keeps the retention tags of a factory's AMIs up to date, for lifecycle policies with
/// <see cref="AmiLifecyclePolicyProps.RetentionWindows"/>: for every image, in every region it is distributed to and
/// every account that owns copies, the newest K available AMIs carry <c>amiinfra:retain-&lt;step&gt; = true</c> for each
/// step (K from <see cref="Lifecycles.WindowSize"/>), and no other AMI of the image carries it. A small Lambda function
/// of ours, whose Python code is inline (no asset: it deploys in every partition), runs after each image of the factory
/// becomes available (an EventBridge rule on "EC2 Image Builder Image State Change") and on a schedule (which heals
/// missed events, new regions and accounts, and manual changes). It adds tags before it removes any, so a failure never
/// leaves an image less protected; it goes on past a failing image, region or account, logs one JSON line per change,
/// and fails the invocation when anything failed. Its role may list images, add and remove only the three retention tags
/// on the factory's images, and assume the marker role of the target accounts.
/// </summary>
/// <remarks>
/// The configuration (each image: its name, regions, target accounts and windows) is the input of the rules' targets,
/// not the function's environment: Lambda takes at most 4 KB of environment variables, a target's input up to 8,192
/// characters, and a rule five targets, so a large factory's configuration is split into as many inputs (and rules) as
/// it needs, each invocation marking the images of its input.
/// </remarks>
public sealed class RetentionMarker : Construct
{
    /// <summary>The Lambda runtime, pinned (the account-controls function's).</summary>
    public const string Runtime = Governance.AccountControls.Runtime;

    /// <summary>The function's timeout, in seconds: Lambda's maximum (https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html).</summary>
    public const int TimeoutSeconds = 900;

    /// <summary>
    /// The longest input of a target: "Input ... Maximum length of 8192", and the same for an input transformer's
    /// InputTemplate (EventBridge API reference, Target and InputTransformer:
    /// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Target.html).
    /// </summary>
    public const int MaxInput = 8192;

    /// <summary>Targets per rule ("Amazon EventBridge quotas": https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html).</summary>
    public const int MaxTargetsPerRule = 5;

    /// <summary>The event of an Image Builder image's state change ("EC2 Image Builder events": https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-imagebuilder.html).</summary>
    public const string ImageStateChange = "EC2 Image Builder Image State Change";

    /// <summary>The retention tags, the only tag keys the marker may add or remove.</summary>
    public static readonly IReadOnlyList<string> TagKeys = [AmiTagKeys.RetainDeprecate, AmiTagKeys.RetainDisable, AmiTagKeys.RetainDelete];

    /// <summary>Creates the function, its role, log group and rules.</summary>
    public RetentionMarker(Construct scope, string id, RetentionMarkerProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        Validate(Node.Path, props);
        var stack = Stack.Of(this);
        var name = FunctionName(props.FactoryName);
        var group = new CfnLogGroup(this, "Logs", new CfnLogGroupProps
        {
            LogGroupName = $"/aws/lambda/{name}",
            RetentionInDays = props.LogRetentionDays,
            KmsKeyId = props.LogKey?.KeyArn,
        });

        // The log group's name is fixed (the function's), so a kept group would block the next create: it goes with the stack.
        group.ApplyRemovalPolicy(RemovalPolicy.DESTROY);
        if (props.LogKey is { } key)
        {
            // The key's policy is a property of the key, which the log group names (KmsKeyId): created before it.
            AllowLogsToUse(key, stack, group.LogGroupName!);
        }

        var targets = props.Images.Any(i => i.TargetAccounts.Count > 0);
        var statements = new List<object>
        {
            new Dictionary<string, object>
            {
                ["Sid"] = "WriteOwnLogs",
                ["Effect"] = "Allow",
                ["Action"] = new[] { "logs:CreateLogStream", "logs:PutLogEvents" },
                ["Resource"] = group.AttrArn,
            },
        };
        statements.AddRange(MarkingStatements(props.FactoryName));
        if (targets)
        {
            statements.Add(new Dictionary<string, object>
            {
                ["Sid"] = "AssumeTargetAccountMarkerRoles",
                ["Effect"] = "Allow",
                ["Action"] = "sts:AssumeRole",
                ["Resource"] = Fn.Sub($"arn:${{AWS::Partition}}:iam::*:role/{TargetRoleName(props.FactoryName)}"),
            });
        }

        Role = new CfnRole(this, "Role", new CfnRoleProps
        {
            RoleName = RoleName(props.FactoryName),
            Description = $"Lets the {props.FactoryName} retention marker list the factory's AMIs and set their retention tags",
            AssumeRolePolicyDocument = new Dictionary<string, object>
            {
                ["Version"] = "2012-10-17",
                ["Statement"] = new object[]
                {
                    new Dictionary<string, object>
                    {
                        ["Effect"] = "Allow",
                        ["Principal"] = new Dictionary<string, object> { ["Service"] = "lambda.amazonaws.com" },
                        ["Action"] = "sts:AssumeRole",
                    },
                },
            },
            Policies = new object[]
            {
                new CfnRole.PolicyProperty
                {
                    PolicyName = "MarkRetentionWindows",
                    PolicyDocument = new Dictionary<string, object> { ["Version"] = "2012-10-17", ["Statement"] = statements.ToArray() },
                },
            },
        });
        NagMetadata.Add(Role, MarkingAcknowledgements(props.FactoryName, targets, "<AWS::Partition>"));

        Function = new CfnFunction(this, "Resource", new CfnFunctionProps
        {
            FunctionName = name,
            Description = $"Keeps the retention tags (amiinfra:retain-*) on the newest AMIs of each image of the {props.FactoryName} factory, in every region and account",
            Runtime = Runtime,
            Handler = "index.handler",
            Timeout = TimeoutSeconds,
            MemorySize = 256,
            Role = Role.AttrArn,
            LoggingConfig = new CfnFunction.LoggingConfigProperty { LogGroup = group.Ref },
            Code = new CfnFunction.CodeProperty { ZipFile = HandlerSource },
        });
        NagMetadata.Add(Function, [new Acknowledgement(
            "AwsSolutions-L1",
            $"{Runtime} is a runtime Lambda supports in every partition a factory deploys to (aws, aws-cn, aws-us-gov) until its deprecation in 2028; the handler needs only the standard library and the botocore the runtime bundles, so a newer runtime is a one-line change when every partition has it")]);

        var inputs = Inputs(props);
        var prefix = props.RecipePrefix ?? EventPrefix(props.Images.Select(i => i.RecipeName));
        for (var r = 0; r * MaxTargetsPerRule < inputs.Count; r++)
        {
            var chunk = inputs.Skip(r * MaxTargetsPerRule).Take(MaxTargetsPerRule).ToList();
            var built = new CfnRule(this, $"Built{r + 1}", new CfnRuleProps
            {
                Name = $"{name}-built-{r + 1}",
                Description = $"Marks the retention windows of an image of the {props.FactoryName} factory when it becomes available",
                EventPattern = new Dictionary<string, object>
                {
                    ["source"] = new[] { "aws.imagebuilder" },
                    ["detail-type"] = new[] { ImageStateChange },
                    ["detail"] = new Dictionary<string, object> { ["state"] = new Dictionary<string, object> { ["status"] = new[] { "AVAILABLE" } } },
                    // Prefix matching ("Content filtering in Amazon EventBridge event patterns", prefix matching:
                    // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html#eb-filtering-prefix-matching).
                    ["resources"] = new object[] { new Dictionary<string, object> { ["prefix"] = $"arn:{stack.Partition}:imagebuilder:{stack.Region}:{stack.Account}:image/{prefix}" } },
                },
                State = "ENABLED",
                Targets = chunk.Select((input, t) => (object)new CfnRule.TargetProperty
                {
                    Id = $"marker{(r * MaxTargetsPerRule) + t + 1}",
                    Arn = Function.AttrArn,
                    InputTransformer = new CfnRule.InputTransformerProperty
                    {
                        InputPathsMap = new Dictionary<string, string> { ["image"] = "$.resources[0]" },
                        InputTemplate = EventInput(input),
                    },
                }).ToArray(),
            });
            var daily = new CfnRule(this, $"Scheduled{r + 1}", new CfnRuleProps
            {
                Name = $"{name}-scheduled-{r + 1}",
                Description = $"Marks the retention windows of every image of the {props.FactoryName} factory on a schedule",
                ScheduleExpression = props.Schedule,
                State = "ENABLED",
                Targets = chunk.Select((input, t) => (object)new CfnRule.TargetProperty
                {
                    Id = $"marker{(r * MaxTargetsPerRule) + t + 1}",
                    Arn = Function.AttrArn,
                    Input = ScheduledInput(input),
                }).ToArray(),
            });
            foreach (var rule in new[] { built, daily })
            {
                _ = new CfnPermission(this, $"{rule.Node.Id}Invoke", new CfnPermissionProps
                {
                    Action = "lambda:InvokeFunction",
                    FunctionName = Function.AttrArn,
                    Principal = "events.amazonaws.com",
                    SourceArn = rule.AttrArn,
                    SourceAccount = stack.Account,
                });
            }
        }
    }

    /// <summary>The function.</summary>
    public CfnFunction Function { get; }

    /// <summary>The function's role.</summary>
    public CfnRole Role { get; }

    /// <summary>The function's Python source (the inline ZipFile code).</summary>
    public static string HandlerSource { get; } = ReadHandler();

    /// <summary>The function's name.</summary>
    public static string FunctionName(string factoryName) => $"{factoryName}-retention-marker";

    /// <summary>The function's role, in the factory account.</summary>
    public static string RoleName(string factoryName) => $"{factoryName}-retention-marker";

    /// <summary>The role the marker assumes in a target account (<see cref="TargetAccounts.TargetAccountStackSetProps.RetentionMarkerFactory"/>).</summary>
    public static string TargetRoleName(string factoryName) => $"{factoryName}-retention-marker-target";

    /// <summary>
    /// The configuration of each target, as JSON: the factory, the target accounts' role, and the images, as many per
    /// input as fit in <see cref="MaxInput"/> (an image with more target accounts than fit is split by accounts).
    /// </summary>
    public static IReadOnlyList<string> Inputs(RetentionMarkerProps props)
    {
        ArgumentNullException.ThrowIfNull(props);
        var header = new Dictionary<string, object> { ["factory"] = props.FactoryName, ["targetRole"] = TargetRoleName(props.FactoryName) };
        string Render(List<Dictionary<string, object>> images) => JsonSerializer.Serialize(new Dictionary<string, object>(header) { ["images"] = images });

        // The longest wrapper is the event's: what is left of MaxInput for the configuration.
        var room = MaxInput - EventInput("").Length;
        var entries = props.Images.SelectMany(image => Entries(image, room - Render([]).Length)).ToList();
        var inputs = new List<string>();
        var current = new List<Dictionary<string, object>>();
        foreach (var entry in entries)
        {
            if (current.Count > 0 && Render([.. current, entry]).Length > room)
            {
                inputs.Add(Render(current));
                current = [];
            }

            current.Add(entry);
        }

        if (current.Count > 0)
        {
            inputs.Add(Render(current));
        }

        return inputs;
    }

    /// <summary>An image's entries: one, or several when its target accounts do not fit in one (the first marks the factory account too).</summary>
    private static IEnumerable<Dictionary<string, object>> Entries(RetentionMarkerImage image, int room)
    {
        Dictionary<string, object> Entry(bool self, IReadOnlyList<string> accounts) => new()
        {
            ["image"] = image.ImageName,
            ["recipe"] = image.RecipeName,
            ["regions"] = image.Regions,
            ["accounts"] = accounts,
            ["self"] = self,
            ["windows"] = image.Windows(),
        };

        var accounts = image.TargetAccounts.ToList();
        var self = true;
        do
        {
            var taken = new List<string>();
            while (accounts.Count > 0 && JsonSerializer.Serialize(Entry(self, [.. taken, accounts[0]])).Length + 1 <= room)
            {
                taken.Add(accounts[0]);
                accounts.RemoveAt(0);
            }

            if (taken.Count == 0 && accounts.Count > 0)
            {
                throw new ConstructValidationException($"RetentionMarker.Images[{image.ImageName}]", $"{image.Regions.Count} regions", $"an image whose entry fits in a target's input of {MaxInput} characters");
            }

            yield return Entry(self, taken);
            self = false;
        }
        while (accounts.Count > 0);
    }

    /// <summary>The input of the image-state-change rule's target: the image that became available, and the configuration.</summary>
    internal static string EventInput(string configuration) => $"{{\"image\": \"<image>\", \"config\": {configuration}}}";

    /// <summary>The input of the scheduled rule's target: the configuration.</summary>
    internal static string ScheduledInput(string configuration) => $"{{\"config\": {configuration}}}";

    /// <summary>
    /// The longest prefix of the images' ARN paths (image/&lt;recipe&gt;/) that all share, up to its first capital letter
    /// (Image Builder may write an ARN in lower case; an event pattern compares case-sensitively): the event rule's filter.
    /// </summary>
    internal static string EventPrefix(IEnumerable<string> recipes)
    {
        var paths = recipes.Select(r => $"{r}/").ToList();
        var prefix = paths.Count == 0 ? "" : paths.Aggregate((a, b) => a[..a.Zip(b).TakeWhile(p => p.First == p.Second).Count()]);
        var capital = prefix.IndexOfAny("ABCDEFGHIJKLMNOPQRSTUVWXYZ".ToCharArray());
        return capital < 0 ? prefix : prefix[..capital];
    }

    /// <summary>
    /// What the marker does in an account: list images (DescribeImages takes no resource-level permission), and add or
    /// remove the retention tags, and only those, on the factory's images. "ForAllValues ... returns true if there are no
    /// keys in the request", so aws:TagKeys must also be present: a DeleteTags that names no key removes every tag
    /// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html;
    /// EC2 API reference, DeleteTags: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteTags.html).
    /// </summary>
    internal static IEnumerable<Dictionary<string, object>> MarkingStatements(string factoryName, Func<string, object>? sub = null)
    {
        sub ??= text => Fn.Sub(text);
        yield return new Dictionary<string, object>
        {
            ["Sid"] = "ListImages",
            ["Effect"] = "Allow",
            ["Action"] = "ec2:DescribeImages",
            ["Resource"] = "*",
        };
        yield return new Dictionary<string, object>
        {
            ["Sid"] = "MarkRetentionWindows",
            ["Effect"] = "Allow",
            ["Action"] = new[] { "ec2:CreateTags", "ec2:DeleteTags" },
            ["Resource"] = sub("arn:${AWS::Partition}:ec2:*::image/*"),
            ["Condition"] = new Dictionary<string, object>
            {
                ["ForAllValues:StringEquals"] = new Dictionary<string, object> { ["aws:TagKeys"] = TagKeys.ToArray() },
                ["Null"] = new Dictionary<string, object> { ["aws:TagKeys"] = "false" },
                ["StringEquals"] = new Dictionary<string, object> { [$"aws:ResourceTag/{AmiTagKeys.Factory}"] = factoryName },
            },
        };
    }

    /// <summary>What cdk-nag finds on a marker role, and why it is so.</summary>
    internal static IReadOnlyList<Acknowledgement> MarkingAcknowledgements(string factoryName, bool assumesTargetRoles, string partition)
    {
        var acknowledgements = new List<Acknowledgement>
        {
            new("AwsSolutions-IAM5", "ec2:DescribeImages supports no resource-level permissions (Service Authorization Reference, Amazon EC2), so * is its only resource", ["Resource::*"]),
            new("AwsSolutions-IAM5", $"The factory's AMIs in any region it distributes to, whose ids are not known in advance; only the retention tags may be added or removed (aws:TagKeys), and only on images tagged {AmiTagKeys.Factory}={factoryName}", [$"Resource::arn:{partition}:ec2:*::image/*"]),
        };
        if (assumesTargetRoles)
        {
            acknowledgements.Add(new("AwsSolutions-IAM5", $"The marker role of every target account has this one name; each trusts only this role of the factory account", [$"Resource::arn:{partition}:iam::*:role/{TargetRoleName(factoryName)}"]));
        }

        return acknowledgements;
    }

    /// <summary>
    /// Lets CloudWatch Logs of this region use <paramref name="key"/> for the log group, as "Encrypt log data in CloudWatch
    /// Logs using AWS Key Management Service" writes the statement
    /// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html).
    /// </summary>
    private void AllowLogsToUse(IKey key, Stack stack, string logGroupName)
    {
        var added = key.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "RetentionMarkerLogs",
            Principals = [new ServicePrincipal($"logs.{stack.Region}.{stack.UrlSuffix}")],
            Actions = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            Resources = ["*"],
            Conditions = new Dictionary<string, object>
            {
                ["ArnEquals"] = new Dictionary<string, object> { ["kms:EncryptionContext:aws:logs:arn"] = $"arn:{stack.Partition}:logs:{stack.Region}:{stack.Account}:log-group:{logGroupName}" },
            },
        }));
        if (!added.StatementAdded)
        {
            Annotations.Of(this).AddWarning($"LogKey is imported: its key policy must let logs.{stack.Region}.{stack.UrlSuffix} use it for the log group {logGroupName}, or the log group cannot be created");
        }
    }

    private static void Validate(string where, RetentionMarkerProps props)
    {
        if (!System.Text.RegularExpressions.Regex.IsMatch(props.FactoryName, "^[A-Za-z0-9-]{1,40}$"))
        {
            throw new ConstructValidationException($"{where}.FactoryName", $"\"{props.FactoryName}\"", "1 to 40 letters, digits and hyphens (the role in target accounts is the name and -retention-marker-target, at most 64 characters)");
        }

        Checks.Require($"{where}.LogRetentionDays", Builds.LogGroupRetention(props.LogRetentionDays));
        if (!Checks.IsToken(props.Schedule) && !props.Schedule.StartsWith("rate(", StringComparison.Ordinal) && !props.Schedule.StartsWith("cron(", StringComparison.Ordinal))
        {
            throw new ConstructValidationException($"{where}.Schedule", $"\"{props.Schedule}\"", "an EventBridge schedule expression: rate(...) or cron(...)");
        }

        if (props.Images.Count == 0)
        {
            throw new ConstructValidationException($"{where}.Images", "no images", "at least one image whose AMIs are marked");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < props.Images.Count; i++)
        {
            var image = props.Images[i];
            var at = $"{where}.Images[{i}]";
            if (string.IsNullOrEmpty(image.ImageName) || image.ImageName.Length > 256)
            {
                throw new ConstructValidationException($"{at}.ImageName", $"\"{image.ImageName}\"", "the value of the amiinfra:image tag: 1 to 256 characters");
            }

            if (!seen.Add(image.ImageName))
            {
                throw new ConstructValidationException($"{at}.ImageName", $"\"{image.ImageName}\"", "a name no other image of the marker has");
            }

            Checks.Shape($"{at}.RecipeName", image.RecipeName, PhysicalNames.ImageBuilderResource);
            if (props.RecipePrefix is { } recipePrefix && !image.RecipeName.StartsWith(recipePrefix, StringComparison.Ordinal))
            {
                throw new ConstructValidationException($"{at}.RecipeName", $"\"{image.RecipeName}\"", $"a recipe name that starts with RecipePrefix \"{recipePrefix}\"");
            }

            if (image.Regions.Count == 0)
            {
                throw new ConstructValidationException($"{at}.Regions", "no regions", "at least one region the image is distributed to");
            }

            Checks.Require($"{at}.Regions", Lists.Check(image.Regions, Partitions.Region, Checks.IsToken));
            Checks.List($"{at}.TargetAccounts", image.TargetAccounts, Identifiers.AccountId);
            var steps = new[] { image.Deprecate, image.Disable, image.Delete }
                .Select((rule, s) => rule is null ? null : new LifecycleStepRule(Lifecycles.StepNames[s], rule.AfterDays, rule.KeepNewest))
                .OfType<LifecycleStepRule>()
                .ToList();
            Checks.Require(at, Lifecycles.Steps(steps, image.KeepAtLeast, part => char.ToUpperInvariant(part[0]) + part[1..]), part => part);
        }
    }

    private static string ReadHandler()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("AmiInfra.Constructs.Lifecycle.retention_marker.py")
            ?? throw new InvalidOperationException("the retention marker's handler is missing from the assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
