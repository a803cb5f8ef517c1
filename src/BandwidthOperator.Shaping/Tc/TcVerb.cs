namespace BandwidthOperator.Shaping.Tc;

public enum TcVerb
{
    Add,
    Change,
    Replace,
    Delete,
}
