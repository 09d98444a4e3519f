import { err, ok, type DomainError, type Result } from '../shared/result';
import type { IdErrorCode } from '../shared/ids';
import { MovieId } from './ids';

export interface MovieSnapshot {
  readonly id: string;
  readonly title: string;
  readonly runningTimeMinutes: number;
  readonly rating: string | null; // e.g. "PG-13"; free text because rating systems differ by country
}

export const MAX_RUNNING_TIME_MINUTES = 600;
export const MAX_MOVIE_TITLE_LENGTH = 200;

/** Reference data: no events, changed by the catalogue, read when scheduling showtimes. */
export class Movie {
  private constructor(
    readonly id: MovieId,
    readonly title: string,
    readonly runningTimeMinutes: number,
    readonly rating: string | null,
  ) {
    Object.freeze(this);
  }

  static create(props: {
    id: string;
    title: string;
    runningTimeMinutes: number;
    rating?: string | null;
  }): Result<Movie, DomainError<IdErrorCode | 'InvalidMovie'>> {
    const id = MovieId.of(props.id);
    if (!id.ok) return id;
    const title = typeof props.title === 'string' ? props.title.trim() : '';
    if (title.length === 0 || title.length > MAX_MOVIE_TITLE_LENGTH) {
      return err('InvalidMovie', `title must be 1-${MAX_MOVIE_TITLE_LENGTH} characters`);
    }
    const minutes = props.runningTimeMinutes;
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_RUNNING_TIME_MINUTES) {
      return err('InvalidMovie', `running time must be 1-${MAX_RUNNING_TIME_MINUTES} whole minutes`);
    }
    const rating = props.rating?.trim() || null;
    if (rating !== null && rating.length > 16)
      return err('InvalidMovie', 'rating must be at most 16 characters');
    return ok(new Movie(id.value, title, minutes, rating));
  }

  static fromSnapshot(s: MovieSnapshot): Movie {
    return new Movie(s.id as MovieId, s.title, s.runningTimeMinutes, s.rating);
  }

  toSnapshot(): MovieSnapshot {
    return {
      id: this.id,
      title: this.title,
      runningTimeMinutes: this.runningTimeMinutes,
      rating: this.rating,
    };
  }
}
