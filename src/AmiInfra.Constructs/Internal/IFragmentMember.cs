namespace AmiInfra.Constructs;

/// <summary>A resource of a fragment, referred to from another resource of the same fragment by Ref or Fn::GetAtt.</summary>
internal interface IFragmentMember
{
    /// <summary>The reference, as the template has it.</summary>
    CfnFragmentReference Reference { get; }
}
