import { validateId, type IdErrorCode } from '../shared/ids';
import { ok, type DomainError, type Result } from '../shared/result';

/** Branded so a movie id can't be passed where an auditorium id is expected. */
export type MovieId = string & { readonly __brand: 'MovieId' };
export type AuditoriumId = string & { readonly __brand: 'AuditoriumId' };

export const MovieId = {
  of(value: unknown): Result<MovieId, DomainError<IdErrorCode>> {
    const id = validateId(value, 'movieId');
    return id.ok ? ok(id.value as MovieId) : id;
  },
};

export const AuditoriumId = {
  of(value: unknown): Result<AuditoriumId, DomainError<IdErrorCode>> {
    const id = validateId(value, 'auditoriumId');
    return id.ok ? ok(id.value as AuditoriumId) : id;
  },
};
