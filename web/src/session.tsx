/**
 * Who is signed in. Locally a development sign-in picks a demo customer, staff member or admin and
 * asks the gateway for a token (`POST /api/dev/sign-in`, development key only); the token goes on
 * every API call. Kept per browser tab (sessionStorage), so two tabs can be two people.
 */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { ApiFailure, request, setToken } from './api';

export type Role = 'customer' | 'staff' | 'admin';

export interface DemoUser {
  readonly sub: string;
  readonly role: Role;
  readonly name: string;
}

export const DEMO_USERS: readonly DemoUser[] = [
  { sub: 'customer-123', role: 'customer', name: 'Ada Lovelace' },
  { sub: 'customer-456', role: 'customer', name: 'Grace Hopper' },
  { sub: 'customer-789', role: 'customer', name: 'Alan Turing' },
  { sub: 'staff-door-1', role: 'staff', name: 'Sam at the door' },
  { sub: 'admin-1', role: 'admin', name: 'Alex the manager' },
];

export interface Session extends DemoUser {
  readonly token: string | null;
}

const KEY = 'cinema.session';

function stored(): Session | null {
  try {
    const s = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Session | null;
    setToken(s?.token ?? null);
    return s;
  } catch {
    return null;
  }
}

interface SessionContext {
  readonly session: Session | null;
  signIn(user: DemoUser): Promise<void>;
  signOut(): void;
}

const Ctx = createContext<SessionContext | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(stored);
  const signIn = useCallback(async (user: DemoUser) => {
    const { status, body } = await request<{ token?: string; error?: string }>('/api/dev/sign-in', {
      method: 'POST',
      body: { sub: user.sub, role: user.role },
    });
    let token: string | null = null;
    if (status === 200 && typeof body?.token === 'string') token = body.token;
    // 404: a gateway without the development sign-in (no identity service): go on without a token.
    else if (status !== 404) throw new ApiFailure(status, body?.error ?? 'ServiceUnavailable', body ?? {});
    const s: Session = { ...user, token };
    sessionStorage.setItem(KEY, JSON.stringify(s));
    setToken(token);
    setSession(s);
  }, []);
  const signOut = useCallback(() => {
    sessionStorage.removeItem(KEY);
    setToken(null);
    setSession(null);
  }, []);
  const value = useMemo(() => ({ session, signIn, signOut }), [session, signIn, signOut]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useSession(): SessionContext {
  const ctx = useContext(Ctx);
  if (!ctx) throw new Error('useSession outside SessionProvider');
  return ctx;
}
