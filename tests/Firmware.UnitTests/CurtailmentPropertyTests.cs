using IndraSmartPro.Events;
using IndraSmartPro.Features.Curtailment;
using nanoFramework.TestFramework;

namespace IndraSmartPro.UnitTests
{
    /// <summary>
    /// Property: over random house load profiles (levels held 10..120 s anywhere from 0 to the
    /// rating less the margin, ±0.5 A of noise every 0.5 s, an EV of 16 or 32 A taking 1..5 s to
    /// follow), the controller keeps, once settled (8 s after a level change: 2 s to confirm a
    /// pause plus the EV's 5 s plus a block), import ≤ rating + margin; raises at least 5 s apart
    /// (IEC 61851-1); pauses at least 5 min apart. Seeded: a failure names its seed.
    /// </summary>
    [TestClass]
    public class CurtailmentPropertyTests
    {
        private const int Runs = 24;
        private const long RunMicroseconds = 1800000000;
        private const long SettleMicroseconds = 8000000;

        private static uint _state;

        private static int Next(int maxExclusive)
        {
            // xorshift32: deterministic and allocation-free.
            _state ^= _state << 13;
            _state ^= _state >> 17;
            _state ^= _state << 5;
            return (int)(_state % (uint)maxExclusive);
        }

        [TestMethod]
        public void Curtailment_RandomHouseProfiles_ImportBoundedRaisesPacedPausesSpaced()
        {
            int pausesSeen = 0;
            for (int run = 0; run < Runs; run++)
            {
                uint seed = (uint)(7919 * (run + 1));
                _state = seed;
                pausesSeen += RunOne(seed);
            }

            Assert.IsTrue(pausesSeen > 0, "the profiles reach the pause rule");
        }

        // The last few curtailment actions, for a failure message.
        private static string Recent(CurtailmentRig rig)
        {
            string text = "; house " + rig.HouseMilliamps.ToString() + " ev " + rig.EvMilliamps.ToString() + " claim " + rig.Controller.ClaimMilliamps.ToString() + "; recent:";
            for (int i = rig.Log.Count > 6 ? rig.Log.Count - 6 : 0; i < rig.Log.Count; i++)
            {
                text += " " + rig.Log.Codes[i] + "@" + rig.Log.Times[i].ToString() + "=" + rig.Log.Values[i].ToString() + "/" + rig.Log.Values2[i].ToString();
            }

            return text;
        }

        private static int RunOne(uint seed)
        {
            CurtailmentSettings s = CurtailmentRig.DefaultSettings();
            s.SupplyRatingMilliamps = 40000 + (Next(5) * 5000);
            var rig = new CurtailmentRig(s);
            rig.EvMaxMilliamps = Next(2) == 0 ? 16000 : 32000;
            rig.EvDelayMicroseconds = 1000000 + (Next(5) * 1000000);
            int limit = s.SupplyRatingMilliamps + s.MarginMilliamps;
            int levelMax = s.SupplyRatingMilliamps - s.MarginMilliamps;
            int level = Next(levelMax);
            long levelSince = 0;
            long nextLevel = 10000000 + (Next(110) * 1000000L);
            long nextNoise = 0;
            int logFrom = 0;
            long lastRaise = -1;
            long lastPause = -1;
            int pauses = 0;
            string where = "seed " + seed.ToString() + " ";
            while (rig.Now < RunMicroseconds)
            {
                if (rig.Now >= nextLevel)
                {
                    level = Next(levelMax);
                    levelSince = rig.Now;
                    nextLevel = rig.Now + 10000000 + (Next(110) * 1000000L);
                }

                if (rig.Now >= nextNoise)
                {
                    rig.HouseMilliamps = level + Next(1001) - 500;
                    if (rig.HouseMilliamps < 0)
                    {
                        rig.HouseMilliamps = 0;
                    }

                    nextNoise = rig.Now + 500000;
                }

                rig.RunFor(CurtailmentRig.CycleMicroseconds);
                if (rig.Now - levelSince >= SettleMicroseconds && rig.ImportMilliamps > limit)
                {
                    Assert.IsTrue(false, where + "import " + rig.ImportMilliamps.ToString() + " mA over " + limit.ToString() + " at " + rig.Now.ToString() + " us" + Recent(rig));
                }

                for (int i = logFrom; i < rig.Log.Count; i++)
                {
                    if (rig.Log.Kinds[i] != ChargerEventKind.Curtailment)
                    {
                        continue;
                    }

                    if (rig.Log.Codes[i] == CurtailmentController.ActionRaise)
                    {
                        Assert.IsTrue(lastRaise < 0 || rig.Log.Times[i] - lastRaise >= CurtailmentController.RaiseIntervalMicroseconds, where + "raises 5 s apart");
                        lastRaise = rig.Log.Times[i];
                    }
                    else if (rig.Log.Codes[i] == CurtailmentController.ActionPause)
                    {
                        Assert.IsTrue(lastPause < 0 || rig.Log.Times[i] - lastPause >= 300000000, where + "pauses 5 min apart");
                        lastPause = rig.Log.Times[i];
                        pauses++;
                    }
                }

                if (rig.Log.Count > CurtailmentLog.Capacity - 64)
                {
                    rig.Log.Count = 0;
                }

                logFrom = rig.Log.Count;
            }

            return pauses;
        }
    }
}
