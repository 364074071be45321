using Amazon.CDK;
using Constructs;

namespace AmiInfra.Constructs;

/// <summary>
/// A reference to an Image Builder resource by name, for rendering many resources without a construct each
/// (<c>Render</c> methods, <see cref="CfnFragment"/>): it implements the resource's interface for its ARN, name and
/// grants, and costs no jsii call. It is not a construct: <see cref="Node"/>, <see cref="Stack"/>,
/// <see cref="Env"/> and <see cref="ApplyRemovalPolicy"/> throw, saying how to import the resource as a construct.
/// </summary>
internal abstract class NamedReference(string what, string import) : IResource
{
    /// <inheritdoc />
    public Node Node => throw NotAConstruct();

    /// <inheritdoc />
    public IResourceEnvironment Env => throw NotAConstruct();

    /// <inheritdoc />
    public Stack Stack => throw NotAConstruct();

    /// <inheritdoc />
    public void ApplyRemovalPolicy(RemovalPolicy policy) => throw NotAConstruct();

    private InvalidOperationException NotAConstruct() =>
        new($"{what} is a reference by name for rendering (Render methods, CfnFragment), not a construct; to use it as one, import it with {import}");
}
