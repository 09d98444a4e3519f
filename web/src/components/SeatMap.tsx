/**
 * The auditorium drawn from its layout: one button per seat, named "Row 5, Seat 10, available"
 * (or held / sold / held for you), gaps left empty. One seat is in the tab order at a time; the
 * arrow keys move between seats (Home/End: ends of the row), Enter or Space picks a free seat.
 */
import { useRef, useState, type KeyboardEvent } from 'react';
import type { SeatLayout, SeatRef, SeatState } from '../api';

export type SeatKey = string;
export const keyOf = (s: SeatRef): SeatKey => `${s.row}:${s.number}`;

export function seatStateWord(state: SeatState, mine: boolean): string {
  if (mine) return 'held for you';
  return state === 'Available' ? 'available' : state === 'Held' ? 'held' : 'sold';
}

interface Props {
  readonly layout: SeatLayout;
  readonly selected: ReadonlySet<SeatKey>;
  /** The seats of the customer's own hold: shown as theirs once the map has them held. */
  readonly mine: ReadonlySet<SeatKey>;
  readonly onToggle: (seat: SeatRef) => void;
  readonly disabled: boolean;
}

export function SeatMap({ layout, selected, mine: mySeats, onToggle, disabled }: Props) {
  const first = layout.rows[0];
  const [focus, setFocus] = useState<SeatKey>(
    first ? keyOf({ row: first.row, number: first.seats[0]!.number }) : '',
  );
  const grid = useRef<HTMLDivElement>(null);

  const move = (e: KeyboardEvent<HTMLDivElement>) => {
    const [row, number] = focus.split(':').map(Number) as [number, number];
    const r = layout.rows.findIndex((x) => x.row === row);
    const seats = layout.rows[r]?.seats ?? [];
    const i = seats.findIndex((s) => s.number === number);
    let target: SeatRef | null;
    const nearest = (rowIndex: number): SeatRef | null => {
      const other = layout.rows[rowIndex];
      if (!other) return null;
      const best = other.seats.reduce((a, b) =>
        Math.abs(b.number - number) < Math.abs(a.number - number) ? b : a,
      );
      return { row: other.row, number: best.number };
    };
    switch (e.key) {
      case 'ArrowLeft':
        target = i > 0 ? { row, number: seats[i - 1]!.number } : null;
        break;
      case 'ArrowRight':
        target = i < seats.length - 1 ? { row, number: seats[i + 1]!.number } : null;
        break;
      case 'ArrowUp':
        target = nearest(r - 1);
        break;
      case 'ArrowDown':
        target = nearest(r + 1);
        break;
      case 'Home':
        target = { row, number: seats[0]!.number };
        break;
      case 'End':
        target = { row, number: seats[seats.length - 1]!.number };
        break;
      default:
        return;
    }
    e.preventDefault();
    if (!target) return;
    const k = keyOf(target);
    setFocus(k);
    grid.current?.querySelector<HTMLButtonElement>(`[data-seat="${k}"]`)?.focus();
  };

  return (
    <div className="hall">
      <div className="screen" aria-hidden="true">
        Screen
      </div>
      <div
        className="seats"
        ref={grid}
        role="group"
        aria-label="Seat map"
        aria-describedby="seat-help"
        onKeyDown={move}
        style={{ ['--cols' as string]: layout.seatsPerRowMax }}
      >
        {layout.rows.map((r) => {
          const cells = new Map(r.seats.map((s) => [s.number, s]));
          return (
            <div className="row" key={r.row}>
              <span className="row-label" aria-hidden="true">
                {r.row}
              </span>
              {Array.from({ length: layout.seatsPerRowMax }, (_, i) => i + 1).map((n) => {
                const s = cells.get(n);
                if (!s) return <span className="gap" key={n} aria-hidden="true" />;
                const seat = { row: r.row, number: n };
                const k = keyOf(seat);
                const mine = s.state === 'Held' && mySeats.has(k);
                const free = s.state === 'Available';
                const isSelected = selected.has(k);
                const cls = `seat ${mine ? 'mine' : s.state.toLowerCase()}${isSelected ? ' selected' : ''}`;
                return (
                  <button
                    type="button"
                    key={n}
                    data-seat={k}
                    className={cls}
                    tabIndex={k === focus ? 0 : -1}
                    aria-label={`Row ${r.row}, Seat ${n}, ${seatStateWord(s.state, mine)}`}
                    aria-pressed={free ? isSelected : undefined}
                    aria-disabled={!free || disabled}
                    onFocus={() => setFocus(k)}
                    onClick={() => {
                      if (free && !disabled) onToggle(seat);
                    }}
                  >
                    <span aria-hidden="true">{n}</span>
                  </button>
                );
              })}
            </div>
          );
        })}
      </div>
      <p id="seat-help" className="help">
        Arrow keys move between seats; Enter or Space chooses a free seat.
      </p>
      <ul className="legend" aria-label="Legend">
        <li>
          <span className="seat available" aria-hidden="true" /> available
        </li>
        <li>
          <span className="seat available selected" aria-hidden="true" /> chosen
        </li>
        <li>
          <span className="seat mine" aria-hidden="true" /> held for you
        </li>
        <li>
          <span className="seat held" aria-hidden="true" /> held
        </li>
        <li>
          <span className="seat sold" aria-hidden="true" /> sold
        </li>
      </ul>
    </div>
  );
}
