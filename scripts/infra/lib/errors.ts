import { tailFile } from './logs';

/** A failed step whose output went to a log other than the service's own (a build, apt-get). */
export class StepError extends Error {
  constructor(
    message: string,
    readonly logFile: string,
  ) {
    super(message);
    this.name = 'StepError';
  }
}

/** A failure that always says which service failed and where its log is. */
export class ServiceError extends Error {
  constructor(
    readonly service: string,
    readonly logFile: string,
    message: string,
  ) {
    super(`${service}: ${message} (log: ${logFile})`);
    this.name = 'ServiceError';
  }

  /** The message followed by the end of the log, as printed when `up` fails. */
  report(lines = 30): string {
    const tail = tailFile(this.logFile, lines);
    const body = tail ? tail.replace(/^/gm, '  | ') : '  | (log is empty or missing)';
    return `${this.message}\n  last ${lines} lines of ${this.logFile}:\n${body}`;
  }
}
