using IndraSmartPro.Events;
using nanoFramework.TestFramework;

namespace IndraSmartPro.UnitTests
{
    [TestClass]
    public class EventBusTests
    {
        private sealed class Recorder : IChargerEventListener
        {
            public int Count;
            public ChargerEventKind LastKind;
            public int LastValue;
            public string LastCode;

            public void OnEvent(ChargerEvent e)
            {
                Count++;
                LastKind = e.Kind;
                LastValue = e.Value;
                LastCode = e.Code;
            }
        }

        private sealed class Republisher : IChargerEventListener
        {
            private readonly EventBus _bus;

            public Republisher(EventBus bus)
            {
                _bus = bus;
            }

            public void OnEvent(ChargerEvent e)
            {
                _bus.Publish(ChargerEventKind.Notice, 0, 0, false, "loop");
            }
        }

        [TestMethod]
        public void EventBus_Publish_ReachesEveryListenerWithFields()
        {
            var bus = new EventBus();
            var a = new Recorder();
            var b = new Recorder();
            bus.Subscribe(a);
            bus.Subscribe(b);

            bus.Publish(ChargerEventKind.Limit, 10, 16000, false, "platform");

            Assert.AreEqual(1, a.Count);
            Assert.AreEqual(1, b.Count);
            Assert.AreEqual(16000, b.LastValue);
            Assert.AreEqual("platform", b.LastCode);
            Assert.IsTrue(b.LastKind == ChargerEventKind.Limit);
        }

        [TestMethod]
        public void EventBus_ListenerPublishes_Throws()
        {
            var bus = new EventBus();
            bus.Subscribe(new Republisher(bus));

            Assert.ThrowsException(typeof(System.InvalidOperationException), () => bus.Publish(ChargerEventKind.Boot, 0, 0, false, "x"));
        }

        [TestMethod]
        public void EventBus_TooManyListeners_Throws()
        {
            var bus = new EventBus();
            for (int i = 0; i < EventBus.MaxListeners; i++)
            {
                bus.Subscribe(new Recorder());
            }

            Assert.ThrowsException(typeof(System.InvalidOperationException), () => bus.Subscribe(new Recorder()));
        }
    }
}
