import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useEffect } from 'react';
import { ApiError, api, setCsrfToken, setUnauthenticatedHandler } from './api.js';
import { setOrganisationFormats } from './format.js';
import type { Capability, Session } from './types.js';

const SessionContext = createContext<Session | null>(null);

/** The signed-in user; only used below `RequireSession`. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
}

export function useSessionQuery() {
  return useQuery({
    queryKey: ['session'],
    queryFn: async () => {
      try {
        const s = await api<Session>('GET', '/session');
        setCsrfToken(s.csrf_token);
        return s;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          setCsrfToken(null);
          return null;
        }
        throw error;
      }
    },
    staleTime: 5 * 60 * 1000,
    retry: (count, error) => !(error instanceof ApiError && error.status === 401) && count < 2,
  });
}

/** Provides the session to the pages, and sends the user to sign-in when it ends. */
export function SessionProvider({ session, children }: { session: Session; children: ReactNode }) {
  const client = useQueryClient();
  // Before the pages render: every date on screen is in the organisation's locale and zone.
  setOrganisationFormats({ locale: session.organisation.locale, timeZone: session.organisation.time_zone });
  useEffect(() => {
    setCsrfToken(session.csrf_token);
    setUnauthenticatedHandler(() => {
      setCsrfToken(null);
      client.setQueryData(['session'], null);
    });
  }, [session, client]);
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

/**
 * May the user open a handoff for this team? Its members and admins may. (What anyone may do to
 * a handoff once opened is the handoff's `actions`, from the API.)
 */
export function inTeam(session: Session, teamKey: string): boolean {
  return session.user.teams.includes(teamKey) || session.user.role === 'admin';
}

/**
 * May the signed-in user do this? The server's answer decides (the session's `capabilities`: what
 * the role allows and the credential's scopes allow too), so a screen shows a control only when
 * the server would take it, and never works the rule out again from the role.
 *
 * @example
 * can(session, 'manage_identity') // false for an operations user: no Admin page
 */
export function can(session: Pick<Session, 'capabilities'>, capability: Capability): boolean {
  return session.capabilities.includes(capability);
}
