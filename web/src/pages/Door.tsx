/**
 * Staff at the door: type or scan a ticket's QR payload, check it, admit. The answer fills the
 * screen (green ADMIT / red DO NOT ADMIT) so it can be read at a glance.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiFailure, api, type Ticket, type Validation } from '../api';
import { ErrorMessage, PageTitle } from '../components';
import { messageFor } from '../errors';
import { dateTime } from '../format';

type Verdict =
  | { kind: 'valid'; ticketId: string; v: Validation }
  | { kind: 'invalid'; reason: string; v?: Validation }
  | { kind: 'admitted'; v: Validation }
  | null;

/** The ticket id in a QR payload: `QR:<id>:<number>`, a signed token (JWS) naming it, a ticket number, or the id. */
async function ticketIdOf(payload: string): Promise<string> {
  const p = payload.trim();
  const qr = /^QR:([^:]+):/.exec(p);
  if (qr) return qr[1]!;
  const parts = p.split('.');
  if (parts.length === 3) {
    try {
      const claims = JSON.parse(atob(parts[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as Record<
        string,
        unknown
      >;
      for (const k of ['ticketId', 'tid', 'sub', 'jti']) if (typeof claims[k] === 'string') return claims[k];
    } catch {
      // not a token: fall through
    }
  }
  if (/^TKT-/i.test(p)) return (await api<Ticket>(`/api/tickets/by-number/${encodeURIComponent(p)}`)).id;
  return p;
}

const REASONS: Readonly<Record<string, string>> = {
  TicketAlreadyUsed: 'Already used',
  TicketVoided: 'Cancelled ticket',
  TicketRefunded: 'Refunded ticket',
  TicketNotFound: 'No such ticket',
};

export function Door() {
  const [payload, setPayload] = useState('');
  const [verdict, setVerdict] = useState<Verdict>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [scanning, setScanning] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const answer = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (verdict) answer.current?.focus();
  }, [verdict]);

  const check = async (e?: FormEvent, code = payload) => {
    e?.preventDefault();
    setBusy(true);
    setError(null);
    setVerdict(null);
    try {
      const ticketId = await ticketIdOf(code);
      const v = await api<Validation>(`/api/tickets/${encodeURIComponent(ticketId)}/validate`, {
        method: 'POST',
      });
      setVerdict(
        v.valid ? { kind: 'valid', ticketId, v } : { kind: 'invalid', reason: v.reason ?? 'Not valid', v },
      );
    } catch (err) {
      if (err instanceof ApiFailure && REASONS[err.code])
        setVerdict({ kind: 'invalid', reason: REASONS[err.code]! });
      else setError(err);
    } finally {
      setBusy(false);
    }
  };

  const admit = async () => {
    if (verdict?.kind !== 'valid') return;
    setBusy(true);
    try {
      await api(`/api/tickets/${encodeURIComponent(verdict.ticketId)}/use`, { method: 'POST' });
      setVerdict({ kind: 'admitted', v: verdict.v });
    } catch (err) {
      // Used at another door a moment ago, or refunded meanwhile: the answer is a refusal.
      if (err instanceof ApiFailure && REASONS[err.code])
        setVerdict({ kind: 'invalid', reason: REASONS[err.code]!, v: verdict.v });
      else setError(err);
    } finally {
      setBusy(false);
    }
  };

  const next = () => {
    setVerdict(null);
    setPayload('');
    input.current?.focus();
  };

  return (
    <section className="narrow door">
      <PageTitle>Door check</PageTitle>
      <form onSubmit={(e) => void check(e)}>
        <label>
          Ticket code (scan or type the QR code's text)
          <input
            ref={input}
            value={payload}
            onChange={(e) => setPayload(e.target.value)}
            autoComplete="off"
            required
          />
        </label>
        <div className="actions">
          <button type="submit" className="primary" disabled={busy || payload.trim() === ''}>
            Check ticket
          </button>
          {'BarcodeDetector' in window && (
            <button type="button" onClick={() => setScanning((s) => !s)}>
              {scanning ? 'Stop camera' : 'Scan with camera'}
            </button>
          )}
        </div>
      </form>
      {scanning && (
        <Scanner
          onCode={(code) => {
            setScanning(false);
            setPayload(code);
            void check(undefined, code);
          }}
        />
      )}
      <ErrorMessage error={error} />
      {verdict && (
        <div
          ref={answer}
          tabIndex={-1}
          role="status"
          className={`verdict ${verdict.kind === 'invalid' ? 'no' : 'yes'}`}
          data-verdict={verdict.kind}
        >
          <p className="big">
            {verdict.kind === 'valid' ? 'VALID' : verdict.kind === 'admitted' ? 'ADMITTED' : 'DO NOT ADMIT'}
          </p>
          {verdict.kind === 'invalid' && <p className="reason">{verdict.reason}</p>}
          {verdict.v && (
            <p>
              {verdict.v.movieTitle} · {dateTime(verdict.v.screeningTime)} · {verdict.v.seats} ·{' '}
              {verdict.v.ticketNumber}
            </p>
          )}
          {verdict.kind === 'valid' ? (
            <button type="button" className="primary big-button" disabled={busy} onClick={() => void admit()}>
              Admit
            </button>
          ) : (
            <button type="button" className="big-button" onClick={next}>
              Next ticket
            </button>
          )}
        </div>
      )}
    </section>
  );
}

interface Detector {
  detect(source: HTMLVideoElement): Promise<Array<{ rawValue: string }>>;
}

/** The camera, where the browser can read QR codes itself (BarcodeDetector). */
function Scanner({ onCode }: { onCode: (code: string) => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string | null>(null);
  const found = useRef(onCode);
  found.current = onCode;
  useEffect(() => {
    let stream: MediaStream | null = null;
    let timer = 0;
    const Ctor = (window as unknown as { BarcodeDetector: new (o: object) => Detector }).BarcodeDetector;
    const detector = new Ctor({ formats: ['qr_code'] });
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' } })
      .then((s) => {
        stream = s;
        if (!video.current) return;
        video.current.srcObject = s;
        void video.current.play();
        timer = window.setInterval(() => {
          if (!video.current) return;
          detector.detect(video.current).then(
            (codes) => {
              if (codes[0]) found.current(codes[0].rawValue);
            },
            () => undefined,
          );
        }, 300);
      })
      .catch(() => setError(messageFor('Forbidden') + ' (camera)'));
    return () => {
      window.clearInterval(timer);
      stream?.getTracks().forEach((t) => t.stop());
    };
  }, []);
  return error ? (
    <p className="error">{error}</p>
  ) : (
    <video ref={video} className="camera" muted playsInline aria-label="Camera" />
  );
}
