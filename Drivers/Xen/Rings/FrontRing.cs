using Cosmos.Drivers.Xen.Spec;
using Cosmos.Hal.Memory;

namespace Cosmos.Drivers.Xen.Rings
{
    /// <summary>
    /// The front end's side of a shared request/response ring (io/ring.h): FRONT_RING_INIT, RING_GET_REQUEST,
    /// RING_PUSH_REQUESTS_AND_CHECK_NOTIFY, RING_GET_RESPONSE, RING_FINAL_CHECK_FOR_RESPONSES. The private
    /// request producer is published in one store per push. What the back end writes (rsp_prod) is checked
    /// before use: it may never claim more responses than requests we made.
    /// </summary>
    public sealed unsafe class FrontRing
    {
        private readonly byte* _page;
        private readonly int _entrySize;
        private readonly uint _mask;

        public int Size { get; }
        /// <summary>req_prod_pvt: requests written but maybe not yet published.</summary>
        public uint RequestProducerPrivate { get; private set; }
        /// <summary>rsp_cons: responses we have consumed.</summary>
        public uint ResponseConsumer { get; private set; }
        public bool IsBroken { get; private set; }
        public string Error { get; private set; }

        /// <param name="page">A zeroed page the back end will be granted.</param>
        /// <param name="entrySize">sizeof the request/response union.</param>
        public FrontRing(byte* page, int entrySize)
        {
            _page = page;
            _entrySize = entrySize;
            Size = SharedRingLayout.Size(entrySize);
            _mask = (uint)Size - 1;
            // SHARED_RING_INIT: producers 0, event thresholds 1.
            Atomic.Write32(Index(SharedRingLayout.RequestProducer), 0);
            Atomic.Write32(Index(SharedRingLayout.ResponseProducer), 0);
            Atomic.Write32(Index(SharedRingLayout.RequestEvent), 1);
            Atomic.Write32(Index(SharedRingLayout.ResponseEvent), 1);
        }

        private uint* Index(int offset) => (uint*)(_page + offset);

        public byte* Page => _page;
        public uint SharedRequestProducer => Atomic.Read32(Index(SharedRingLayout.RequestProducer));

        /// <summary>RING_FREE_REQUESTS: slots we may still fill.</summary>
        public int FreeRequests => Size - (int)(RequestProducerPrivate - ResponseConsumer);

        /// <summary>Requests made and not yet answered.</summary>
        public int Outstanding => (int)(RequestProducerPrivate - ResponseConsumer);

        /// <summary>RING_GET_REQUEST at req_prod_pvt, then advances it. Null when the ring is full.</summary>
        public byte* NextRequest()
        {
            if (FreeRequests <= 0) return null;
            byte* slot = Slot(RequestProducerPrivate);
            RequestProducerPrivate++;
            return slot;
        }

        public byte* Slot(uint index) => _page + SharedRingLayout.Entries + (long)(index & _mask) * _entrySize;

        /// <summary>
        /// RING_PUSH_REQUESTS_AND_CHECK_NOTIFY: publish req_prod_pvt, then notify only if the back end asked to
        /// hear about a request in the range just published (req_event).
        /// </summary>
        public bool PushRequests()
        {
            uint old = SharedRequestProducer;
            uint now = RequestProducerPrivate;
            if (old == now) return false;
            DmaBarriers.Write(); // the requests before the index that publishes them
            Atomic.Write32(Index(SharedRingLayout.RequestProducer), now);
            DmaBarriers.Full(); // publish before reading req_event
            uint requestEvent = Atomic.Read32(Index(SharedRingLayout.RequestEvent));
            return now - requestEvent < now - old;
        }

        /// <summary>
        /// RING_HAS_UNCONSUMED_RESPONSES with a sanity check: the back end's rsp_prod may not run past the
        /// requests we made. On a violation the ring is marked broken and reports nothing.
        /// </summary>
        public int UnconsumedResponses()
        {
            if (IsBroken) return 0;
            uint producer = Atomic.Read32(Index(SharedRingLayout.ResponseProducer));
            DmaBarriers.Read(); // the index before the responses it publishes
            uint available = producer - ResponseConsumer;
            if (available > (uint)Outstanding)
            {
                IsBroken = true;
                Error = "the back end's rsp_prod runs past the requests made";
                return 0;
            }
            return (int)available;
        }

        /// <summary>RING_GET_RESPONSE at rsp_cons, then advances it. Call only after UnconsumedResponses said so.</summary>
        public byte* TakeResponse()
        {
            byte* slot = Slot(ResponseConsumer);
            ResponseConsumer++;
            return slot;
        }

        /// <summary>
        /// RING_FINAL_CHECK_FOR_RESPONSES: ask for an event at the next response (rsp_event = rsp_cons + 1),
        /// then look again, so a response that slipped in meanwhile is not left waiting for an event that
        /// will never come. True if there is work.
        /// </summary>
        public bool FinalCheckForResponses()
        {
            if (UnconsumedResponses() > 0) return true;
            Atomic.Write32(Index(SharedRingLayout.ResponseEvent), ResponseConsumer + 1);
            DmaBarriers.Full();
            return UnconsumedResponses() > 0;
        }

        public void MarkBroken(string reason)
        {
            if (IsBroken) return;
            IsBroken = true;
            Error = reason;
        }
    }
}
