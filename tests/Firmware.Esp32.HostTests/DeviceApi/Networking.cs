// Stand-in of nanoFramework.System.Net's SNTP client (the members the device code uses, same signatures).
namespace nanoFramework.Networking
{
    public static class Sntp
    {
        /// <summary>Times the device code started the SNTP client.</summary>
        public static int Starts;

        /// <summary>Starts the lwIP SNTP client: it sets the system time once a server answers (here: counts).</summary>
        public static void Start() => Starts++;
    }
}
