using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using AmiInfra.Rules;
using Constructs;

namespace AmiInfra.Constructs.Build;

/// <summary>An EC2 Image Builder image recipe: one of ours, an imported one, or one rendered into a fragment.</summary>
public interface IImageRecipe : IResource
{
    /// <summary>The recipe's ARN (with its version).</summary>
    string ImageRecipeArn { get; }

    /// <summary>The recipe's name.</summary>
    string ImageRecipeName { get; }

    /// <summary>The recipe's version.</summary>
    string ImageRecipeVersion { get; }

    /// <summary>Lets <paramref name="grantee"/> perform <paramref name="actions"/> on the recipe.</summary>
    Grant Grant(IGrantable grantee, params string[] actions);

    /// <summary>Lets <paramref name="grantee"/> read the recipe (imagebuilder:GetImageRecipe).</summary>
    Grant GrantRead(IGrantable grantee);
}

/// <summary>
/// An Image Builder image recipe. Recipes are immutable per version: the version's patch node is
/// derived from everything that makes the recipe (parent, components and their versions, volumes,
/// keys, working directory, agent, user data), so an edit deploys as a new version and an
/// unchanged recipe keeps its physical identity.
/// </summary>
public sealed partial class ImageRecipe : ImageBuilderResource, IImageRecipe, IRecipeWithParent
{
    private const string ReadAction = "imagebuilder:GetImageRecipe";

    /// <summary>Creates the recipe.</summary>
    public ImageRecipe(Construct scope, string id, ImageRecipeProps props)
        : base(scope, id, ReadAction)
    {
        ArgumentNullException.ThrowIfNull(props);
        ImageRecipeName = props.ImageRecipeName ?? Naming.Generated(this);
        var rendered = RenderAt(props with { ImageRecipeName = ImageRecipeName }, () => Node.Path, this);
        ImageRecipeVersion = rendered.Version;
        ParentImage = props.ParentImage;
        ImageRecipeArn = Cfn.Resource(this, "Resource", rendered.Resource).Ref;
    }

    /// <inheritdoc />
    public string ImageRecipeName { get; }

    /// <summary>The recipe's version: the patch node follows the content.</summary>
    public string ImageRecipeVersion { get; }

    /// <inheritdoc />
    public string ImageRecipeArn { get; }

    /// <summary>The image the recipe starts from.</summary>
    public ParentImage? ParentImage { get; }

    /// <inheritdoc />
    protected override string GrantedArn => ImageRecipeArn;

    /// <summary>Imports a recipe by ARN (with its version).</summary>
    public static IImageRecipe FromImageRecipeArn(Construct scope, string id, string imageRecipeArn) =>
        FromImageRecipeAttributes(scope, id, new ImageRecipeAttributes { ImageRecipeArn = imageRecipeArn });

    /// <summary>Imports a recipe of this account and region by name, at its newest version (x.x.x).</summary>
    public static IImageRecipe FromImageRecipeName(Construct scope, string id, string imageRecipeName) =>
        FromImageRecipeAttributes(scope, id, new ImageRecipeAttributes { ImageRecipeName = imageRecipeName });

    /// <summary>Imports a recipe by ARN, or by name and version (of this account and region).</summary>
    public static IImageRecipe FromImageRecipeAttributes(Construct scope, string id, ImageRecipeAttributes attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        if (attributes.ImageRecipeArn is { } arn)
        {
            if (attributes.ImageRecipeName is not null || attributes.ImageRecipeVersion is not null)
            {
                throw new ConstructValidationException($"{scope.Node.Path}/{id}.ImageRecipeName", attributes.ImageRecipeName ?? attributes.ImageRecipeVersion, "no name or version with an ARN (the ARN names both)");
            }

            var nameAndVersion = Naming.ResourceNameOf(scope, arn, "image-recipe");
            var (name, version) = Checks.IsToken(nameAndVersion)
                ? (Fn.Select(0, Fn.Split("/", nameAndVersion)), Fn.Select(1, Fn.Split("/", nameAndVersion)))
                : (nameAndVersion.Split('/')[0], nameAndVersion.Split('/').ElementAtOrDefault(1) ?? "x.x.x");
            return new Imported(scope, id, arn, name, version);
        }

        if (attributes.ImageRecipeName is not { } recipeName)
        {
            throw new ConstructValidationException($"{scope.Node.Path}/{id}.ImageRecipeArn", null, "a recipe ARN or a recipe name");
        }

        var recipeVersion = attributes.ImageRecipeVersion ?? "x.x.x";
        Checks.Shape($"{scope.Node.Path}/{id}.ImageRecipeVersion", recipeVersion, Identifiers.VersionFilter);
        var formatted = Naming.ImageBuilderArnOfName(scope, id, "image-recipe", recipeName, "ImageRecipeName", recipeVersion);
        return new Imported(scope, id, formatted, recipeName, recipeVersion);
    }

    /// <summary>
    /// A recipe of a <see cref="CfnFragment"/>, by reference (no construct): inside the same fragment it renders as
    /// <c>{"Ref": logicalId}</c>; elsewhere, and for grants, as the ARN built from its name and version.
    /// </summary>
    /// <param name="logicalId">The recipe's logical id in the fragment.</param>
    /// <param name="name">The recipe's name.</param>
    /// <param name="version">The recipe's version.</param>
    /// <param name="parentImage">The image the recipe starts from, for a pipeline to check its instance types against. Default: unknown (not checked).</param>
    public static IImageRecipe FromFragment(string logicalId, string name, string version, ParentImage? parentImage = null) => new Member(logicalId, name, version, parentImage);

    /// <summary>A recipe imported as a construct.</summary>
    private sealed class Imported(Construct scope, string id, string arn, string name, string version) : ImageBuilderResource(scope, id, ReadAction), IImageRecipe
    {
        public string ImageRecipeArn { get; } = arn;

        public string ImageRecipeName { get; } = name;

        public string ImageRecipeVersion { get; } = version;

        protected override string GrantedArn => ImageRecipeArn;
    }

    /// <summary>A recipe of a fragment, by reference.</summary>
    private sealed class Member(string logicalId, string name, string version, ParentImage? parentImage)
        : ImageBuilderReference($"the recipe {name}/{version} of a fragment", "ImageRecipe.FromImageRecipeAttributes(scope, id, ...)", ReadAction), IImageRecipe, IFragmentMember, IRecipeWithParent
    {
        public ParentImage? ParentImage { get; } = parentImage;

        public CfnFragmentReference Reference { get; } = CfnFragment.Ref(logicalId);

        public string ImageRecipeArn { get; } = Naming.ImageBuilderArn("image-recipe", $"{name}/{version}");

        public string ImageRecipeName { get; } = name;

        public string ImageRecipeVersion { get; } = version;

        protected override string GrantedArn => ImageRecipeArn;
    }
}
