using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace System
{
    /// <summary>
    /// Several exceptions as one, as .NET's: what Task.Wait, Task.Result and Task.Exception report for a faulted
    /// task (all its exceptions), and what CancellationTokenSource.Cancel throws when callbacks fail. The message
    /// appends each inner message in parentheses, as .NET Core does, so a log line names the real causes.
    /// </summary>
    public class AggregateException : Exception
    {
        private const string DefaultMessage = "One or more errors occurred.";
        private readonly Exception[] _inner;
        private ReadOnlyCollection<Exception> _readOnly;

        public AggregateException() : base(DefaultMessage) { _inner = new Exception[0]; }
        public AggregateException(string message) : base(message ?? DefaultMessage) { _inner = new Exception[0]; }

        public AggregateException(string message, Exception innerException) : base(message ?? DefaultMessage, innerException)
        {
            if (innerException == null) throw new ArgumentNullException(nameof(innerException));
            _inner = new[] { innerException };
        }

        public AggregateException(params Exception[] innerExceptions) : this(DefaultMessage, innerExceptions) { }
        public AggregateException(IEnumerable<Exception> innerExceptions) : this(DefaultMessage, innerExceptions) { }

        public AggregateException(string message, params Exception[] innerExceptions)
            : this(message, Checked(innerExceptions == null ? null : new List<Exception>(innerExceptions)), true) { }

        public AggregateException(string message, IEnumerable<Exception> innerExceptions)
            : this(message, Checked(innerExceptions == null ? null : new List<Exception>(innerExceptions)), true) { }

        private AggregateException(string message, Exception[] checkedInner, bool alreadyChecked)
            : base(message ?? DefaultMessage, checkedInner.Length > 0 ? checkedInner[0] : null)
        {
            _inner = checkedInner;
        }

        private static Exception[] Checked(List<Exception> list)
        {
            if (list == null) throw new ArgumentNullException("innerExceptions");
            for (int i = 0; i < list.Count; i++)
                if (list[i] == null) throw new ArgumentException("An element of innerExceptions was null.");
            return list.ToArray();
        }

        public ReadOnlyCollection<Exception> InnerExceptions => _readOnly ??= new ReadOnlyCollection<Exception>(_inner);

        /// <summary>As .NET Core: the message, then " (inner message)" for every inner exception.</summary>
        public override string Message
        {
            get
            {
                if (_inner.Length == 0) return base.Message;
                string text = base.Message;
                for (int i = 0; i < _inner.Length; i++) text = string.Concat(text, " (", _inner[i].Message, ")");
                return text;
            }
        }

        public override Exception GetBaseException()
        {
            Exception back = this;
            var aggregate = this;
            while (aggregate != null && aggregate._inner.Length == 1)
            {
                back = aggregate._inner[0];
                aggregate = back as AggregateException;
            }
            return back;
        }

        /// <summary>Inner AggregateExceptions replaced by their own inner exceptions, recursively.</summary>
        public AggregateException Flatten()
        {
            var flat = new List<Exception>();
            var pending = new List<AggregateException> { this };
            for (int p = 0; p < pending.Count; p++)
            {
                var inner = pending[p]._inner;
                for (int i = 0; i < inner.Length; i++)
                {
                    if (inner[i] is AggregateException nested) pending.Add(nested);
                    else flat.Add(inner[i]);
                }
            }
            return new AggregateException(base.Message, flat.ToArray(), true);
        }

        /// <summary>Calls the predicate on every inner exception; those it does not handle are thrown again together.</summary>
        public void Handle(Func<Exception, bool> predicate)
        {
            if (predicate == null) throw new ArgumentNullException(nameof(predicate));
            List<Exception> unhandled = null;
            for (int i = 0; i < _inner.Length; i++)
            {
                if (predicate(_inner[i])) continue;
                unhandled ??= new List<Exception>();
                unhandled.Add(_inner[i]);
            }
            if (unhandled != null) throw new AggregateException(base.Message, unhandled.ToArray(), true);
        }
    }
}
