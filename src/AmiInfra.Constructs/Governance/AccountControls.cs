using System.Reflection;
using AmiInfra.Rules;
using Constructs;

namespace AmiInfra.Constructs.Governance;

/// <summary>Props of <see cref="AccountControls"/>.</summary>
public sealed record AccountControlsProps
{
    /// <summary>Prefix of the physical names (the function <c>&lt;prefix&gt;-account-controls</c>, its role and log group): 1 to 30 letters, digits and hyphens. No default.</summary>
    public required string NamePrefix { get; init; }

    /// <summary>Block public access for AMIs (block-new-sharing). Default: false (left as the account has it).</summary>
    public bool ImageBlockPublicAccess { get; init; }

    /// <summary>Block public access for snapshots: block-all-sharing or block-new-sharing. Default: null (left as the account has it).</summary>
    public string? SnapshotBlockPublicAccess { get; init; }

    /// <summary>Turn EBS encryption by default on. Default: false (left as the account has it).</summary>
    public bool EbsEncryptionByDefault { get; init; }

    /// <summary>
    /// The default key of EBS encryption, with <see cref="EbsEncryptionByDefault"/>: a key ARN (tokens
    /// allowed), <see cref="AwsManagedKey"/>, or null to leave the account's default key. Default: null.
    /// </summary>
    public string? EbsDefaultKey { get; init; }

    /// <summary>Allowed AMIs: audit-mode or enabled; null leaves the account's setting. Default: null.</summary>
    public string? AllowedImagesMode { get; init; }

    /// <summary>The Allowed AMIs criteria (at most 10), with <see cref="AllowedImagesMode"/>. Default: none.</summary>
    public IReadOnlyList<AllowedImagesCriterion> AllowedImagesCriteria { get; init; } = [];

    /// <summary>The value of <see cref="EbsDefaultKey"/> that makes the AWS-managed aws/ebs key the default key.</summary>
    public const string AwsManagedKey = "aws-managed";

    /// <summary>Whether a control that needs the custom resource's function is declared.</summary>
    public bool NeedsFunction => ImageBlockPublicAccess || EbsEncryptionByDefault || AllowedImagesMode is not null;
}

/// <summary>
/// The account-level controls for AMIs in one account and region: block public access for snapshots as
/// <c>AWS::EC2::SnapshotBlockPublicAccess</c>; block public access for AMIs, EBS encryption by default and
/// Allowed AMIs as custom resources served by one small Lambda function of ours, whose Python code is
/// inline in the template (so the same resources also work inside a StackSet, which takes no assets).
/// Each custom resource records the account's setting when it is created and restores it when it is
/// deleted; an update sets the declared setting again. A control an organization's declarative policy manages
/// is left to it (the resource fails only when the policy's setting is not the declared one), and a restore that
/// is refused never fails a delete: its reason says what stayed. The function's role may call exactly the EC2
/// actions of the controls the function manages (<see cref="Actions"/>), and write its own log group.
/// </summary>
/// <remarks>
/// Why not CDK's AwsCustomResource: its handler is a CDK asset (a StackSet template cannot carry one),
/// its delete call is fixed at synth (it cannot restore what the account had before), and its SDK calls
/// go through the SDK bundled with the Lambda runtime, which may predate Allowed AMIs. The function here
/// signs EC2 Query API calls itself (botocore's SigV4), so it needs no newer SDK.
/// </remarks>
public sealed class AccountControls : Construct
{
    /// <summary>The custom resource type of block public access for AMIs.</summary>
    public const string ImageBlockPublicAccessType = "Custom::AmiInfraImageBlockPublicAccess";

    /// <summary>The custom resource type of EBS encryption by default.</summary>
    public const string EbsEncryptionByDefaultType = "Custom::AmiInfraEbsEncryptionByDefault";

    /// <summary>The custom resource type of Allowed AMIs.</summary>
    public const string AllowedImagesType = "Custom::AmiInfraAllowedImages";

    /// <summary>The Lambda runtime, pinned.</summary>
    public const string Runtime = "python3.12";

    /// <summary>
    /// The function's timeout, in seconds. The function answers CloudFormation before it: it stops calling EC2 a
    /// reserve ahead of the time the Lambda context says is left, each EC2 call waits at most 20 seconds, and its
    /// retries (throttling, IAM's eventual consistency right after the role is created) stop at that deadline.
    /// </summary>
    public const int FunctionTimeoutSeconds = 300;

    /// <summary>
    /// How long CloudFormation waits for an answer to each custom resource event (<c>ServiceTimeout</c>, 1 to 3600
    /// seconds, default 3600: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudformation-customresource.html).
    /// A minute above <see cref="FunctionTimeoutSeconds"/>, for the asynchronous invocation's queueing and the
    /// response's upload, so that an answer the function sends is never cut off; and a function that could not
    /// answer at all (its code failed to load, Lambda refused to run it) fails the resource, and lets a rollback
    /// start, after six minutes rather than after the default hour.
    /// </summary>
    public const int ServiceTimeoutSeconds = FunctionTimeoutSeconds + 60;

    /// <summary>Days the function's log group keeps its events.</summary>
    public const int LogRetentionDays = 90;

    /// <summary>The logical ids of the resources, the same in a stack and in a StackSet template.</summary>
    public static class LogicalIds
    {
        /// <summary>The function's log group.</summary>
        public const string LogGroup = "AccountControlsLogs";

        /// <summary>The function's role.</summary>
        public const string Role = "AccountControlsRole";

        /// <summary>The function.</summary>
        public const string Function = "AccountControlsFunction";

        /// <summary>Block public access for snapshots.</summary>
        public const string SnapshotBlockPublicAccess = "SnapshotBlockPublicAccess";

        /// <summary>Block public access for AMIs.</summary>
        public const string ImageBlockPublicAccess = "ImageBlockPublicAccess";

        /// <summary>EBS encryption by default.</summary>
        public const string EbsEncryptionByDefault = "EbsEncryptionByDefault";

        /// <summary>Allowed AMIs.</summary>
        public const string AllowedImages = "AllowedImages";
    }

    /// <summary>Creates the controls in the stack of <paramref name="scope"/>.</summary>
    public AccountControls(Construct scope, string id, AccountControlsProps props)
        : base(scope, id)
    {
        var resources = Render(props, Node.Path);
        Resources = new CfnFragment(this, "Resources", resources);
        foreach (var logicalId in resources.Select(r => r.LogicalId).Where(DeletedWithTheStack.Contains))
        {
            Resources.Resource(logicalId).ApplyRemovalPolicy(Amazon.CDK.RemovalPolicy.DESTROY);
        }
    }

    /// <summary>
    /// The resources that hold data and go with the stack (DeletionPolicy and UpdateReplacePolicy Delete, said
    /// explicitly): the function's log group, whose fixed name a kept group would block on the next create.
    /// </summary>
    public static readonly IReadOnlySet<string> DeletedWithTheStack = new HashSet<string>(StringComparer.Ordinal) { LogicalIds.LogGroup };

    /// <summary>The resources.</summary>
    public CfnFragment Resources { get; }

    /// <summary>
    /// The function's Python source as the template carries it (the inline ZipFile code): governance_handler.py
    /// without its comment lines, which explain the code and cite the AWS pages it follows, and stay in the
    /// repository. The template of a StackSet is at most 51,200 bytes
    /// (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStackSet.html), and the
    /// function's code is most of it.
    /// </summary>
    public static string HandlerSource { get; } = ReadHandler();

    /// <summary>
    /// The EC2 actions the function calls, for every control it manages, and nothing else: the role's policy.
    /// Each control reads its setting first (recorded on create), sets it, and on delete restores it. The role
    /// keeps all of them whichever controls are declared: when a control leaves the declaration, CloudFormation
    /// updates the role in the update phase and deletes the control's custom resource only in the cleanup phase,
    /// so a role narrowed to the remaining controls would be refused the restore, and the setting would stay.
    /// </summary>
    public static IReadOnlyList<string> Actions { get; } =
    [
        "ec2:GetImageBlockPublicAccessState", "ec2:EnableImageBlockPublicAccess", "ec2:DisableImageBlockPublicAccess",
        "ec2:GetEbsEncryptionByDefault", "ec2:EnableEbsEncryptionByDefault", "ec2:DisableEbsEncryptionByDefault",
        "ec2:GetEbsDefaultKmsKeyId", "ec2:ModifyEbsDefaultKmsKeyId", "ec2:ResetEbsDefaultKmsKeyId",
        "ec2:GetAllowedImagesSettings", "ec2:EnableAllowedImagesSettings", "ec2:ReplaceImageCriteriaInAllowedImagesSettings", "ec2:DisableAllowedImagesSettings",
    ];

    /// <summary>
    /// The controls as CloudFormation resources, for a stack (<see cref="CfnFragment"/>) or a StackSet
    /// template alike: the props are checked, and names are built with Fn::Sub from the stack's region so
    /// that one account's regions never share a role name.
    /// </summary>
    /// <param name="props">The controls.</param>
    /// <param name="where">Where the controls are, for error messages.</param>
    public static IReadOnlyList<CfnFragmentResource> Render(AccountControlsProps props, string where)
    {
        Check(props, where);
        var resources = new List<CfnFragmentResource>();
        if (props.SnapshotBlockPublicAccess is { } snapshots)
        {
            resources.Add(new(LogicalIds.SnapshotBlockPublicAccess, CfnDefinition.Of("AWS::EC2::SnapshotBlockPublicAccess", new Dictionary<string, object?> { ["State"] = snapshots })));
        }

        if (!props.NeedsFunction)
        {
            return resources;
        }

        var function = $"{props.NamePrefix}-account-controls";
        resources.Add(new(LogicalIds.LogGroup, CfnDefinition.Of("AWS::Logs::LogGroup", new Dictionary<string, object?>
        {
            ["LogGroupName"] = $"/aws/lambda/{function}",
            ["RetentionInDays"] = LogRetentionDays,
        })));
        resources.Add(new(LogicalIds.Role, CfnDefinition.Of("AWS::IAM::Role", new Dictionary<string, object?>
        {
            ["RoleName"] = Sub($"{function}-${{AWS::Region}}"),
            ["Description"] = "Lets the AmiInfra account-controls function read, set and restore the account's controls for AMIs in its region",
            ["AssumeRolePolicyDocument"] = Document(new Dictionary<string, object>
            {
                ["Effect"] = "Allow",
                ["Principal"] = new Dictionary<string, object> { ["Service"] = "lambda.amazonaws.com" },
                ["Action"] = "sts:AssumeRole",
            }),
            ["Policies"] = new object[]
            {
                Policy("WriteOwnLogs", new Dictionary<string, object>
                {
                    ["Sid"] = "WriteOwnLogs",
                    ["Effect"] = "Allow",
                    ["Action"] = new[] { "logs:CreateLogStream", "logs:PutLogEvents" },
                    ["Resource"] = GetAtt(LogicalIds.LogGroup, "Arn"),
                }),
                // These EC2 actions act on account attributes: the Service Authorization Reference lists no
                // resource type for them, so "*" is their only resource.
                Policy("AccountControlsForAmis", new Dictionary<string, object>
                {
                    ["Sid"] = "ReadSetAndRestoreAccountControls",
                    ["Effect"] = "Allow",
                    ["Action"] = Actions.ToArray(),
                    ["Resource"] = "*",
                }),
            },
        }).Acknowledging(new Acknowledgement(
            "AwsSolutions-IAM5",
            "The EC2 actions that read and set the account's controls for AMIs act on account attributes of the region: the Service Authorization Reference lists no resource type for them, so * is their only resource",
            ["Resource::*"]))));
        resources.Add(new(LogicalIds.Function, CfnDefinition.Of("AWS::Lambda::Function", new Dictionary<string, object?>
        {
            ["FunctionName"] = function,
            ["Description"] = "Sets the account's controls for AMIs as the factory declares them, and restores the previous settings on delete",
            ["Runtime"] = Runtime,
            ["Handler"] = "index.handler",
            ["Timeout"] = FunctionTimeoutSeconds,
            ["MemorySize"] = 128,
            ["Role"] = GetAtt(LogicalIds.Role, "Arn"),
            ["LoggingConfig"] = new Dictionary<string, object> { ["LogGroup"] = new Dictionary<string, object> { ["Ref"] = LogicalIds.LogGroup } },
            ["Code"] = new Dictionary<string, object> { ["ZipFile"] = HandlerSource },
        }).Acknowledging(new Acknowledgement(
            "AwsSolutions-L1",
            $"{Runtime} is a runtime Lambda supports in every partition a factory deploys to (aws, aws-cn, aws-us-gov) until its deprecation in 2028; the handler needs only the standard library and the botocore the runtime bundles, so a newer runtime is a one-line change when every partition has it"))));

        var token = GetAtt(LogicalIds.Function, "Arn");
        if (props.ImageBlockPublicAccess)
        {
            resources.Add(new(LogicalIds.ImageBlockPublicAccess, CfnDefinition.Of(ImageBlockPublicAccessType, new Dictionary<string, object?>
            {
                ["ServiceToken"] = token,
                ["ServiceTimeout"] = ServiceTimeoutSeconds,
                ["Control"] = "image-block-public-access",
                ["State"] = Rules.Governance.ImageBlockPublicAccessState,
            })));
        }

        if (props.EbsEncryptionByDefault)
        {
            resources.Add(new(LogicalIds.EbsEncryptionByDefault, CfnDefinition.Of(EbsEncryptionByDefaultType, new Dictionary<string, object?>
            {
                ["ServiceToken"] = token,
                ["ServiceTimeout"] = ServiceTimeoutSeconds,
                ["Control"] = "ebs-encryption-by-default",
                ["DefaultKey"] = props.EbsDefaultKey ?? "keep",
            })));
        }

        if (props.AllowedImagesMode is { } mode)
        {
            resources.Add(new(LogicalIds.AllowedImages, CfnDefinition.Of(AllowedImagesType, new Dictionary<string, object?>
            {
                ["ServiceToken"] = token,
                ["ServiceTimeout"] = ServiceTimeoutSeconds,
                ["Control"] = "allowed-images",
                ["Mode"] = mode,
                ["Criteria"] = props.AllowedImagesCriteria.Select(c => (object)Cfn.Clean(new Dictionary<string, object?>
                {
                    ["Providers"] = c.Providers.ToArray(),
                    ["Names"] = c.Names.ToArray(),
                    ["MaxDaysSinceCreated"] = c.MaxDaysSinceCreated,
                    ["MaxDaysSinceDeprecated"] = c.MaxDaysSinceDeprecated,
                })).ToArray(),
            })));
        }

        return resources;
    }

    private static void Check(AccountControlsProps props, string where)
    {
        ArgumentNullException.ThrowIfNull(props);
        if (!System.Text.RegularExpressions.Regex.IsMatch(props.NamePrefix, "^[A-Za-z0-9-]{1,30}$"))
        {
            throw new ConstructValidationException($"{where}.NamePrefix", $"\"{props.NamePrefix}\"", "1 to 30 letters, digits and hyphens (the function name is the prefix and -account-controls)");
        }

        if (props.SnapshotBlockPublicAccess is { } snapshots && !Rules.Governance.SnapshotBlockPublicAccessStates.Contains(snapshots, StringComparer.Ordinal))
        {
            throw new ConstructValidationException($"{where}.SnapshotBlockPublicAccess", $"\"{snapshots}\"", string.Join(" or ", Rules.Governance.SnapshotBlockPublicAccessStates));
        }

        if (props.EbsDefaultKey is not null && !props.EbsEncryptionByDefault)
        {
            throw new ConstructValidationException($"{where}.EbsDefaultKey", $"\"{props.EbsDefaultKey}\"", "no default key unless EbsEncryptionByDefault is true (EC2 sets a default key for encryption by default)");
        }

        if (props.AllowedImagesMode is { } mode)
        {
            Checks.Require($"{where}.AllowedImagesMode", Rules.Governance.Mode(mode));
            Checks.Require($"{where}.AllowedImagesCriteria", Rules.Governance.Criteria(props.AllowedImagesCriteria.Count));
            for (var i = 0; i < props.AllowedImagesCriteria.Count; i++)
            {
                var criterion = props.AllowedImagesCriteria[i];
                Checks.Require($"{where}.AllowedImagesCriteria[{i}].Providers", Rules.Governance.Providers(criterion.Providers));
                Checks.Require($"{where}.AllowedImagesCriteria[{i}].Names", Rules.Governance.Names(criterion.Names));
                foreach (var days in new[] { criterion.MaxDaysSinceCreated, criterion.MaxDaysSinceDeprecated }.OfType<int>())
                {
                    Checks.Require($"{where}.AllowedImagesCriteria[{i}]", Rules.Governance.Days(days));
                }
            }
        }
        else if (props.AllowedImagesCriteria.Count > 0)
        {
            throw new ConstructValidationException($"{where}.AllowedImagesCriteria", $"{props.AllowedImagesCriteria.Count} criteria", "no criteria unless AllowedImagesMode is set");
        }
    }

    private static Dictionary<string, object> Sub(string text) => new() { ["Fn::Sub"] = text };

    private static Dictionary<string, object> GetAtt(string logicalId, string attribute) => new() { ["Fn::GetAtt"] = new object[] { logicalId, attribute } };

    private static Dictionary<string, object> Document(params object[] statements) => new() { ["Version"] = "2012-10-17", ["Statement"] = statements };

    private static Dictionary<string, object> Policy(string name, params object[] statements) => new() { ["PolicyName"] = name, ["PolicyDocument"] = Document(statements) };

    private static string ReadHandler()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("AmiInfra.Constructs.Governance.governance_handler.py")
            ?? throw new InvalidOperationException("the account-controls handler is missing from the assembly");
        using var reader = new StreamReader(stream);
        return string.Join('\n', reader.ReadToEnd().Split('\n').Where(line => !line.TrimStart().StartsWith('#')));
    }
}
