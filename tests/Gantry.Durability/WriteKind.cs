namespace Gantry.Durability;

internal enum WriteKind
{
    Create,
    Update,
}
