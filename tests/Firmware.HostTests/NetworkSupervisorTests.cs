using IndraSmartPro.Commissioning;
using IndraSmartPro.Firmware;
using IndraSmartPro.Network;
using IndraSmartPro.Telemetry;
using Xunit;

namespace IndraSmartPro.HostTests;

/// <summary>Bringing up the commissioned interface and keeping it up, on a fake adapter and a fake clock.</summary>
public class NetworkSupervisorTests
{
    private sealed class FakeAdapter : INetworkAdapter
    {
        public bool Ethernet = true;
        public string NextFailure;
        public int Starts;
        public int Stops;

        public bool LinkUp { get; set; }

        public string Address { get; set; } = "";

        public bool Supports(int networkKind) => networkKind == NetworkKinds.Wifi || Ethernet;

        public string Start(ChargerConfig config)
        {
            Starts++;
            if (NextFailure != null)
            {
                return NextFailure;
            }

            LinkUp = true;
            Address = "192.168.1.50";
            return null;
        }

        public void Stop()
        {
            Stops++;
            LinkUp = false;
            Address = "";
        }
    }

    private sealed class MaxRandom : IRandomSource
    {
        public int Next(int maxExclusive) => maxExclusive > 1 ? maxExclusive - 1 : 0;
    }

    private static ChargerConfig Config() => new ChargerConfig { InstallerSecret = "label-secret-12" };

    [Fact]
    public void Comes_up_and_reports_its_address()
    {
        var adapter = new FakeAdapter();
        var net = new NetworkSupervisor(adapter, Config(), new MaxRandom());
        Assert.Equal(NetworkSupervisor.WatchMilliseconds, net.Step(0));
        Assert.True(net.Up);
        Assert.Equal("192.168.1.50", net.Address);
    }

    [Fact]
    public void Failures_retry_with_doubling_backoff_capped_at_five_minutes()
    {
        var adapter = new FakeAdapter { NextFailure = "no-dhcp-lease" };
        var net = new NetworkSupervisor(adapter, Config(), new MaxRandom());
        long now = 0;
        int[] expected = { 1000, 2000, 4000, 8000, 16000, 32000, 64000, 128000, 256000, 300000, 300000 };
        foreach (int backoff in expected)
        {
            net.Step(now);
            Assert.Equal(NetworkSupervisor.StateRetrying, net.State);
            Assert.Equal("no-dhcp-lease", net.LastFailure);
            Assert.Equal(backoff, net.LastBackoffMilliseconds);

            // Nothing is tried again before the backoff has passed.
            int starts = adapter.Starts;
            net.Step(now + (backoff * 1000L) - 1);
            Assert.Equal(starts, adapter.Starts);
            now += backoff * 1000L;
        }

        adapter.NextFailure = null;
        net.Step(now);
        Assert.True(net.Up);
        Assert.Equal(0, net.Failures);
    }

    [Fact]
    public void A_lost_link_is_reported_and_retried()
    {
        var adapter = new FakeAdapter();
        var net = new NetworkSupervisor(adapter, Config(), new MaxRandom());
        net.Step(0);
        adapter.LinkUp = false;
        net.Step(1_000_000);
        Assert.Equal(NetworkSupervisor.StateRetrying, net.State);
        Assert.Equal("link-lost", net.LastFailure);
        Assert.Equal("", net.Address);
        net.Step(2_000_000);
        Assert.True(net.Up);
    }

    [Fact]
    public void Ethernet_on_a_board_without_it_says_so_and_an_uncommissioned_unit_stays_off()
    {
        var adapter = new FakeAdapter { Ethernet = false };
        var net = new NetworkSupervisor(adapter, Config(), new MaxRandom());
        net.Step(0);
        Assert.Equal(NetworkSupervisor.FailureNotFitted, net.LastFailure);
        Assert.Equal(0, adapter.Starts);

        var off = new NetworkSupervisor(new FakeAdapter(), new ChargerConfig { Commissioned = false }, new MaxRandom());
        off.Step(0);
        Assert.Equal(NetworkSupervisor.StateOff, off.State);
    }
}
