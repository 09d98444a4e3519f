/**
 * `npm run token -- --sub customer-123 --role customer [--ttl 1h]`: a development bearer token,
 * signed with the committed development key for AUTH_ISSUER / AUTH_AUDIENCE. Only the token is
 * printed (on the last line), so `TOKEN=$(npm run -s token -- ...)` works.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { ROLES, keySourceOf, parseTtl, signToken, type Role } from '../api/auth';
import { loadConfig } from '../config';
import { validateId } from '../domain/shared/ids';

const program = new Command()
  .name('npm run token --')
  .description('Print a development bearer token (signed with the development key).')
  .requiredOption('--sub <id>', 'the subject: a customer id, or a staff or admin id', (value: string) => {
    const id = validateId(value, '--sub');
    if (!id.ok) throw new InvalidArgumentError(id.error.message);
    return value;
  })
  .addOption(new Option('--role <role>', 'the role').choices(ROLES).makeOptionMandatory())
  .option(
    '--ttl <lifetime>',
    'lifetime: seconds, or 30m, 1h, 7d',
    (value: string) => {
      try {
        parseTtl(value);
      } catch (error) {
        throw new InvalidArgumentError((error as Error).message);
      }
      return value;
    },
    '1h',
  )
  .action(({ sub, role, ttl }: { sub: string; role: Role; ttl: string }) => {
    const config = loadConfig();
    if (keySourceOf(config) !== 'development') {
      // The services would not accept it: they verify with the configured identity provider.
      console.error('AUTH_JWKS_URL or AUTH_PUBLIC_KEY is set: get tokens from that identity provider.');
      process.exitCode = 1;
      return;
    }
    console.log(
      signToken({ subject: sub, role, ttl, issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE }),
    );
  });

program.parse();
