using Amazon.CDK.AWS.IAM;
using AmiInfra.Constructs;
using AmiInfra.Constructs.Build;
using AmiInfra.Declaration;

namespace AmiInfra.App.Stacks;

/// <summary>
/// The workflows of one image's pipeline and the role they run with, rendered for the image's fragment: the role
/// <c>&lt;factory&gt;-&lt;image&gt;-workflows</c> (a <see cref="WorkflowExecutionRole"/>: EC2ImageBuilderExecutionPolicy, what the
/// workflow documents' steps use, and the build key through SNS, since the pipeline's build notifications go to the
/// factory's encrypted topic as that role), in the image's own stack, so that adding or removing an image touches no
/// other image's role.
/// </summary>
internal sealed class ImageWorkflows
{
    /// <summary>The declaration field each role prop comes from, relative to images[n] (see DeclaredAt).</summary>
    internal static readonly Dictionary<string, string> RoleFields = new(StringComparer.Ordinal)
    {
        ["RoleName"] = "name", ["Description"] = "name", ["Workflows"] = "workflows",
    };

    private ImageWorkflows(IReadOnlyList<WorkflowConfiguration> configurations, IRole? role, CfnFragmentResource? resource)
    {
        Configurations = configurations;
        Role = role;
        Resource = resource;
    }

    /// <summary>The workflows, as the pipeline takes them: none when the image declares none.</summary>
    public IReadOnlyList<WorkflowConfiguration> Configurations { get; }

    /// <summary>The role the pipeline refers to (in the fragment), or null without workflows.</summary>
    public IRole? Role { get; }

    /// <summary>The role's resource, or null without workflows.</summary>
    public CfnFragmentResource? Resource { get; }

    /// <summary>The name of an image's workflow execution role (at most 63 characters: a factory name of 20, an image name of 32).</summary>
    public static string RoleName(Factory factory, Image image) => RoleName(factory.Name, image.Name);

    /// <summary>The name of the workflow execution role of an image (or a pattern of them, with * for the image).</summary>
    public static string RoleName(string factory, string image) => AmiInfra.Rules.Workflows.PipelineWorkflows.ExecutionRoleName(factory, image);

    /// <summary>The workflows of <paramref name="image"/>, and the role they need.</summary>
    public static ImageWorkflows For(Image image, Factory factory, FactoryStack core, ImageReferences references, string where, string path)
    {
        if (image.Workflows.Count == 0)
        {
            return new ImageWorkflows([], null, null);
        }

        var configurations = image.Workflows.Select(w => new WorkflowConfiguration
        {
            Workflow = core.Workflows.For(w),
            Parameters = w.Parameters,
            OnFailure = w.OnFailure switch { "CONTINUE" => WorkflowOnFailure.Continue, "ABORT" => WorkflowOnFailure.Abort, _ => null },
            ParallelGroup = w.ParallelGroup,
        }).ToList();
        var name = RoleName(factory, image);
        var roleId = CfnFragment.LogicalIdFor(image.Name, "Pipeline", "ExecutionRole", "Resource");
        var definition = DeclaredAt.Run($"{where}/Pipeline/ExecutionRole", path, RoleFields, () => WorkflowExecutionRole.Render(new WorkflowExecutionRoleProps
        {
            RoleName = name,
            Description = $"Lets EC2 Image Builder run the workflows of the {ImageBuild.RecipeName(factory, image)} pipeline",
            Workflows = configurations,
            TopicKeys = [references.BuildKey],
        }, $"{where}/Pipeline/ExecutionRole"));
        return new ImageWorkflows(configurations, WorkflowExecutionRole.InFragment(roleId, name), new CfnFragmentResource(roleId, definition));
    }
}
