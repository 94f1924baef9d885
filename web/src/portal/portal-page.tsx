import {
  Alert,
  Anchor,
  Box,
  Button,
  Checkbox,
  Code,
  Container,
  Group,
  List,
  Paper,
  Radio,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { type UseMutationResult, useMutation, useQuery } from '@tanstack/react-query';
import { type ReactNode, useEffect, useState } from 'react';
import { ApiError, messageOf } from '../api.js';
import type { PortalPage as Page, PortalReceipt } from '../types.js';

/**
 * The client's page behind a magic link (`/p/{token}`), for someone without an account: no
 * session, no CSRF token, no navigation into the team's app. The link is the credential; every
 * call goes to `/api/v1/portal/{token}` and is scoped by it alone.
 */
async function portalApi<T>(token: string, method: 'GET' | 'POST', path = '', body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`/api/v1/portal/${encodeURIComponent(token)}${path}`, {
      method,
      headers: {
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      credentials: 'omit',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch {
    throw new ApiError(0, 'The server cannot be reached. Check your connection; nothing you typed is lost.');
  }
  const json = (await res.json().catch(() => null)) as Record<string, unknown> | null;
  if (!res.ok) {
    const detail = typeof json?.detail === 'string' ? json.detail : `The server answered ${res.status}.`;
    throw new ApiError(res.status, detail, (json?.errors as ApiError['errors']) ?? [], json ?? {});
  }
  return json as T;
}

/** Black or white, whichever reads better on `hex` (WCAG relative luminance). */
function textOn(hex: string): string {
  const channel = (i: number) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const l = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return l > 0.179 ? '#000000' : '#ffffff';
}

const BATON_BLUE = '#1c5d99';

export default function PortalPage({ token }: { token: string }) {
  const page = useQuery({
    queryKey: ['portal', token],
    queryFn: () => portalApi<Page>(token, 'GET'),
    retry: false,
    refetchOnWindowFocus: false,
  });
  const brand = page.data?.organisation.brand_color ?? BATON_BLUE;
  useEffect(() => {
    document.title = page.data
      ? `${page.data.engagement.name} · ${page.data.organisation.name}`
      : 'Client portal';
  }, [page.data]);
  if (page.isPending)
    return (
      <Shell brand={BATON_BLUE} organisation="">
        <Text>Opening your page…</Text>
      </Shell>
    );
  if (page.error || !page.data) return <Unavailable error={page.error} />;
  const p = page.data;
  const format = (iso: string) =>
    new Date(iso).toLocaleString(p.organisation.locale, { dateStyle: 'long', timeStyle: 'short' });
  return (
    <Shell brand={brand} organisation={p.organisation.name}>
      <Stack gap="lg">
        <div>
          <Title order={1} size="h2">
            {p.engagement.name}
          </Title>
          <Text c="dimmed">
            For {p.contact.name}, {p.engagement.account}. This page works until {format(p.expires_at)}.
          </Text>
        </div>
        <Owner owner={p.owner} />
        {p.understanding ? <Confirm token={token} page={p} brand={brand} format={format} /> : null}
        {p.package ? <SignOff token={token} page={p} brand={brand} /> : null}
        {p.survey ? <Survey token={token} brand={brand} /> : null}
      </Stack>
    </Shell>
  );
}

function Shell({
  brand,
  organisation,
  children,
}: {
  brand: string;
  organisation: string;
  children: ReactNode;
}) {
  return (
    <>
      <Box component="header" bg={brand} c={textOn(brand)} py="sm" px="md">
        <Text fw={700} size="lg">
          {organisation || 'Client portal'}
        </Text>
      </Box>
      <Container component="main" size={680} py="lg" px="md">
        {children}
      </Container>
    </>
  );
}

/** The one page for a link that opens nothing: it says so, and shows nothing else. */
function Unavailable({ error }: { error: unknown }) {
  const limited = error instanceof ApiError && error.status === 429;
  const offline = error instanceof ApiError && error.offline;
  return (
    <Shell brand={BATON_BLUE} organisation="">
      <Stack gap="sm">
        <Title order={1} size="h2">
          {limited ? 'Too many attempts' : offline ? 'Connection lost' : 'This link does not open anything'}
        </Title>
        <Text>
          {limited || offline
            ? messageOf(error)
            : 'It may have expired or been replaced by a newer one. Please ask the person who sent it to you for a new link.'}
        </Text>
      </Stack>
    </Shell>
  );
}

function Owner({ owner }: { owner: Page['owner'] }) {
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="owner-heading">
      <Title order={2} size="h4" id="owner-heading">
        Your contact from now on
      </Title>
      {owner ? (
        <Stack gap={2} mt="xs">
          <Text fw={600}>{owner.name}</Text>
          <Text size="sm">{owner.role}</Text>
          <Anchor href={`mailto:${owner.email}`} size="sm">
            {owner.email}
          </Anchor>
          <Text size="sm" c="dimmed">
            Write to them with any question; they know your project.
          </Text>
        </Stack>
      ) : (
        <Text size="sm" mt="xs">
          Your new contact will introduce themselves shortly.
        </Text>
      )}
    </Paper>
  );
}

function Receipt({ receipt }: { receipt: PortalReceipt }) {
  return (
    <Alert color="green" title="Received" role="status">
      {receipt.message}
    </Alert>
  );
}

type About = 'goal' | 'metric' | 'scope' | 'other';
/** A difference being written, with a key of its own (the list grows). */
interface Difference {
  id: number;
  about: About;
  text: string;
}
let differenceIds = 0;
const nextId = () => ++differenceIds;
const ABOUT_OPTIONS: { value: About; label: string }[] = [
  { value: 'goal', label: 'The goal' },
  { value: 'metric', label: 'How success is measured' },
  { value: 'scope', label: 'The scope' },
  { value: 'other', label: 'Something else' },
];

function Confirm({
  token,
  page,
  brand,
  format,
}: {
  token: string;
  page: Page;
  brand: string;
  format: (iso: string) => string;
}) {
  const u = page.understanding!;
  const [matches, setMatches] = useState<string>('');
  const [differences, setDifferences] = useState<Difference[]>([{ id: nextId(), about: 'scope', text: '' }]);
  const send = useMutation({
    mutationFn: () =>
      portalApi<PortalReceipt>(token, 'POST', '/confirm', {
        differences: matches === 'yes' ? [] : differences.map(({ about, text }) => ({ about, text })),
        shown_sha256: u.sha256,
      }),
  });
  const inScope = u.scope.filter((s) => s.kind === 'in');
  const outOfScope = u.scope.filter((s) => s.kind === 'out');
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="confirm-heading">
      <Stack gap="sm">
        <Title order={2} size="h4" id="confirm-heading">
          What we understand you expect
        </Title>
        <Text size="sm">Please check this is what you believe you bought. If anything differs, tell us.</Text>
        <Field label="Your goal" value={u.goal} />
        <Field label="How success is measured" value={u.metric} />
        <div>
          <Text fw={600} size="sm">
            In scope
          </Text>
          {inScope.length ? (
            <List size="sm">
              {inScope.map((s) => (
                <List.Item key={s.description}>{s.description}</List.Item>
              ))}
            </List>
          ) : (
            <Text size="sm">Nothing written down yet.</Text>
          )}
        </div>
        {outOfScope.length ? (
          <div>
            <Text fw={600} size="sm">
              Not in scope
            </Text>
            <List size="sm">
              {outOfScope.map((s) => (
                <List.Item key={s.description}>{s.description}</List.Item>
              ))}
            </List>
          </div>
        ) : null}
        {u.promises.length ? (
          <div>
            <Text fw={600} size="sm">
              What we committed to
            </Text>
            <List size="sm">
              {u.promises.map((pr) => (
                <List.Item key={pr.text}>{pr.text}</List.Item>
              ))}
            </List>
          </div>
        ) : null}
        {u.last_confirmed_at ? (
          <Text size="sm" c="dimmed">
            You last answered on {format(u.last_confirmed_at)}; you may answer again.
          </Text>
        ) : null}
        <AnswerForm send={send} brand={brand} submit="Send my answer" ready={matches !== ''}>
          <Radio.Group
            label="Does this match what you expect?"
            value={matches}
            onChange={setMatches}
            required
          >
            <Stack gap="xs" mt="xs">
              <Radio value="yes" label="Yes, this is what I expect" />
              <Radio value="no" label="Something differs" />
            </Stack>
          </Radio.Group>
          {matches === 'no'
            ? differences.map((d, i) => (
                <Paper withBorder p="sm" key={d.id}>
                  <Stack gap="xs">
                    <Select
                      label={`Difference ${i + 1}: what is it about?`}
                      data={ABOUT_OPTIONS}
                      value={d.about}
                      allowDeselect={false}
                      onChange={(v) =>
                        setDifferences(
                          differences.map((x, j) => (j === i ? { ...x, about: (v ?? 'other') as About } : x)),
                        )
                      }
                    />
                    <Textarea
                      label={`Difference ${i + 1}: what do you expect instead?`}
                      value={d.text}
                      autosize
                      minRows={2}
                      maxLength={2000}
                      error={
                        send.error instanceof ApiError
                          ? send.error.forPath(`/differences/${i}/text`)
                          : undefined
                      }
                      onChange={(e) => {
                        const text = e.currentTarget.value;
                        setDifferences(differences.map((x, j) => (j === i ? { ...x, text } : x)));
                      }}
                    />
                  </Stack>
                </Paper>
              ))
            : null}
          {matches === 'no' && differences.length < 20 ? (
            <Button
              variant="default"
              onClick={() => setDifferences([...differences, { id: nextId(), about: 'other', text: '' }])}
            >
              Add another difference
            </Button>
          ) : null}
        </AnswerForm>
      </Stack>
    </Paper>
  );
}

/** The client's answer as a form sent once: the receipt takes its place when the server took it. */
function AnswerForm({
  send,
  brand,
  submit,
  ready,
  children,
}: {
  send: UseMutationResult<PortalReceipt, Error, void>;
  brand: string;
  submit: string;
  ready: boolean;
  children: ReactNode;
}) {
  if (send.data) return <Receipt receipt={send.data} />;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        send.mutate();
      }}
    >
      <Stack gap="sm">
        {children}
        <SendError error={send.error} />
        <Group>
          <Button type="submit" color={brand} loading={send.isPending} disabled={!ready}>
            {submit}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function Field({ label, value }: { label: string; value: string | null }) {
  return (
    <div>
      <Text fw={600} size="sm">
        {label}
      </Text>
      <Text size="sm">{value ?? 'Not written down yet.'}</Text>
    </div>
  );
}

function SendError({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <Alert color="red" role="alert" title="Not sent">
      {error instanceof ApiError && error.status === 404
        ? 'This link no longer opens anything. Please ask for a new one.'
        : messageOf(error)}
    </Alert>
  );
}

function SignOff({ token, page, brand }: { token: string; page: Page; brand: string }) {
  const pkg = page.package!;
  const [name, setName] = useState('');
  const [reviewed, setReviewed] = useState(false);
  const send = useMutation({
    mutationFn: () =>
      portalApi<PortalReceipt>(token, 'POST', '/signoff', { name, package_sha256: pkg.sha256 }),
  });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="package-heading">
      <Stack gap="sm">
        <Title order={2} size="h4" id="package-heading">
          What we hand over
        </Title>
        {pkg.content.sections.map((s) => (
          <div key={s.key}>
            <Title order={3} size="h5">
              {s.title}
            </Title>
            {s.items.length ? (
              <List size="sm" spacing={2}>
                {s.items.map((item) => (
                  <List.Item key={`${item.label}|${item.value}|${item.detail ?? ''}`}>
                    <Text span fw={600} size="sm">
                      {item.label}:
                    </Text>{' '}
                    {item.file && item.value ? (
                      <Anchor
                        href={`/api/v1/portal/${encodeURIComponent(token)}/files/${encodeURIComponent(item.file.id)}/versions/${item.file.version}`}
                        underline="always"
                      >
                        {item.value}
                      </Anchor>
                    ) : (
                      (item.value ?? 'not recorded')
                    )}
                    {item.detail ? ` (${item.detail})` : ''}
                  </List.Item>
                ))}
              </List>
            ) : (
              <Text size="sm">Nothing here.</Text>
            )}
          </div>
        ))}
        <Text size="xs" c="dimmed">
          Fingerprint of exactly this page (SHA-256):{' '}
          <Code style={{ overflowWrap: 'anywhere' }}>{pkg.sha256}</Code>
        </Text>
        <AnswerForm send={send} brand={brand} submit="Sign off" ready={reviewed && name.trim() !== ''}>
          <Checkbox
            label="I have reviewed what is handed over, as shown above"
            checked={reviewed}
            onChange={(e) => setReviewed(e.currentTarget.checked)}
          />
          <TextInput
            label="Your full name, to sign"
            value={name}
            maxLength={200}
            autoComplete="name"
            onChange={(e) => setName(e.currentTarget.value)}
            error={send.error instanceof ApiError ? send.error.forPath('/name') : undefined}
          />
        </AnswerForm>
      </Stack>
    </Paper>
  );
}

const NPS_VALUES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10'];
const CSAT_LABELS = ['Very dissatisfied', 'Dissatisfied', 'Neutral', 'Satisfied', 'Very satisfied'];

function Survey({ token, brand }: { token: string; brand: string }) {
  const [csat, setCsat] = useState('');
  const [nps, setNps] = useState('');
  const [comment, setComment] = useState('');
  const send = useMutation({
    mutationFn: () =>
      portalApi<PortalReceipt>(token, 'POST', '/survey', {
        csat: Number(csat),
        nps: Number(nps),
        comment: comment.trim() || null,
      }),
  });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="survey-heading">
      <Stack gap="sm">
        <Title order={2} size="h4" id="survey-heading">
          How did it go?
        </Title>
        <AnswerForm send={send} brand={brand} submit="Send my answers" ready={csat !== '' && nps !== ''}>
          <Radio.Group
            label="How satisfied are you with the project?"
            value={csat}
            onChange={setCsat}
            required
          >
            <Stack gap="xs" mt="xs">
              {CSAT_LABELS.map((label, i) => (
                <Radio key={label} value={String(i + 1)} label={`${i + 1}: ${label}`} />
              ))}
            </Stack>
          </Radio.Group>
          <Radio.Group
            label="How likely are you to recommend us to a colleague? (0: not at all, 10: extremely)"
            value={nps}
            onChange={setNps}
            required
          >
            <Group gap="sm" mt="xs">
              {NPS_VALUES.map((n) => (
                <Radio key={n} value={n} label={n} />
              ))}
            </Group>
          </Radio.Group>
          <Textarea
            label="Anything you would like to tell us (optional)"
            value={comment}
            autosize
            minRows={2}
            maxLength={2000}
            onChange={(e) => setComment(e.currentTarget.value)}
          />
        </AnswerForm>
      </Stack>
    </Paper>
  );
}
