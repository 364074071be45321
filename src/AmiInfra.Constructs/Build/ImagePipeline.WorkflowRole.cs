using Constructs;

namespace AmiInfra.Constructs.Build;

/// <summary>A pipeline's workflows and the role they run with.</summary>
public sealed partial class ImagePipeline
{
    /// <summary>
    /// The role a pipeline with workflows and no <see cref="ImagePipelineProps.ExecutionRole"/> runs them with: one made
    /// for them ("When you attach custom image workflows to your pipeline ... you must also specify an execution role",
    /// user guide, "Configure image pipeline workflows in Image Builder"); none without workflows.
    /// </summary>
    private Amazon.CDK.AWS.IAM.IRole? WorkflowExecutionRoleFor(ImagePipelineProps props) =>
        props.Workflows.Count == 0
            ? null
            : new WorkflowExecutionRole(this, "ExecutionRole", new WorkflowExecutionRoleProps
            {
                Description = $"Lets EC2 Image Builder run the workflows of the pipeline {ImagePipelineName}",
                Workflows = props.Workflows,
            }).Role;

    /// <summary>The workflows, as <see cref="PipelineWorkflowsRender.Check"/> says, and the role they need.</summary>
    private static void CheckWorkflows(ImagePipelineProps props, Func<string> where)
    {
        ArgumentNullException.ThrowIfNull(props.Workflows);
        if (props.Workflows.Count == 0)
        {
            return;
        }

        PipelineWorkflowsRender.Check(props.Workflows, where);
        if (props.ExecutionRole is null)
        {
            throw new ConstructValidationException($"{where()}.ExecutionRole", null, "an execution role for the workflows (ImagePipeline.Render makes none): a WorkflowExecutionRole's, or WorkflowExecutionRole.InFragment for one rendered in the same fragment");
        }
    }
}
