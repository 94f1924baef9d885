import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Drawer,
  Group,
  Indicator,
  Loader,
  Stack,
  Text,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, messageOf } from './api.js';
import { dateTime } from './format.js';
import type { MarkNotificationsRead, Notification, NotificationPage, NotificationsRead } from './types.js';

/** How often the bell asks for news while the page is open (it also asks when the window regains focus). */
const POLL_MS = 30_000;
const PAGE = 20;

/**
 * The bell in the header: the caller's unread count, and a drawer listing their notices newest
 * first. Opening one marks it read and goes to its page; "Mark all as read" marks everything up
 * to the newest one shown, so a notice that arrives meanwhile stays unread.
 */
export function NotificationBell() {
  const [opened, setOpened] = useState(false);
  const phone = useMediaQuery('(max-width: 48em)');
  const client = useQueryClient();
  const list = useInfiniteQuery({
    queryKey: ['notifications'],
    queryFn: ({ pageParam }) =>
      api<NotificationPage>(
        'GET',
        `/notifications?limit=${PAGE}${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`,
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    refetchInterval: POLL_MS,
    refetchOnWindowFocus: true,
  });
  const markRead = useMutation({
    mutationFn: (body: MarkNotificationsRead) => api<NotificationsRead>('POST', '/notifications/read', body),
    onSettled: () => client.invalidateQueries({ queryKey: ['notifications'] }),
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const unread = list.data?.pages[0]?.unread ?? 0;
  const label = unread > 0 ? `Notifications, ${unread} unread` : 'Notifications, none unread';
  const open = (n: Notification) => {
    if (!n.read_at) markRead.mutate({ ids: [n.id] });
    setOpened(false);
  };
  return (
    <>
      <Indicator
        // The count is in the button's name; the badge only shows it.
        label={<span aria-hidden="true">{unread > 99 ? '99+' : unread}</span>}
        disabled={unread === 0}
        size={18}
        color="red.8"
        offset={4}
      >
        <ActionIcon
          variant="subtle"
          color="dark"
          size="lg"
          aria-label={label}
          aria-haspopup="dialog"
          aria-expanded={opened}
          onClick={() => setOpened(true)}
          className="notification-bell"
        >
          <BellIcon />
        </ActionIcon>
      </Indicator>
      <Drawer.Root
        opened={opened}
        onClose={() => setOpened(false)}
        position="right"
        size={phone ? '100%' : 'md'}
      >
        <Drawer.Overlay />
        <Drawer.Content>
          <Drawer.Header {...({ component: 'div' } as Record<string, string>)}>
            <Drawer.Title fw={700}>Notifications</Drawer.Title>
            <Group gap="xs" wrap="nowrap">
              <Button
                variant="subtle"
                size="compact-sm"
                disabled={unread === 0 || items.length === 0}
                loading={markRead.isPending}
                onClick={() => items[0] && markRead.mutate({ up_to: items[0].created_at })}
              >
                Mark all as read
              </Button>
              {/* Focus lands here on opening, not on "Mark all as read", which Enter would press. */}
              <Drawer.CloseButton aria-label="Close notifications" data-autofocus />
            </Group>
          </Drawer.Header>
          <Drawer.Body>
            <Text size="sm" c="dimmed" mb="sm" role="status">
              {unread > 0 ? `${unread} unread` : 'Nothing unread'}
            </Text>
            {list.isError ? <Alert color="red">{messageOf(list.error)}</Alert> : null}
            {markRead.isError ? <Alert color="red">{messageOf(markRead.error)}</Alert> : null}
            {list.isPending ? <Loader size="sm" role="status" aria-label="Loading notifications" /> : null}
            {list.isSuccess && items.length === 0 ? (
              <Text size="sm">
                Nothing yet. Packets waiting for you, questions, answers and rejections will show here.
              </Text>
            ) : null}
            <Stack component="ul" gap={0} className="notification-list" aria-label="Notifications">
              {items.map((n) => (
                <li key={n.id}>
                  <NoticeRow notice={n} onOpen={() => open(n)} />
                </li>
              ))}
            </Stack>
            {list.hasNextPage ? (
              <Button
                variant="default"
                size="compact-sm"
                mt="sm"
                loading={list.isFetchingNextPage}
                onClick={() => list.fetchNextPage()}
              >
                Show older
              </Button>
            ) : null}
          </Drawer.Body>
        </Drawer.Content>
      </Drawer.Root>
    </>
  );
}

/** One notice: its subject, the start of its text and when it came, marked while unread. */
function NoticeRow({ notice, onOpen }: { notice: Notification; onOpen: () => void }) {
  const unread = !notice.read_at;
  const body = (
    <>
      <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
        <Text size="sm" fw={unread ? 700 : 500} lineClamp={2}>
          {notice.subject}
        </Text>
        {unread ? (
          <Badge size="xs" color="baton" variant="filled" style={{ flexShrink: 0 }}>
            Unread
          </Badge>
        ) : null}
      </Group>
      <Text size="sm" c="dark.4" lineClamp={2}>
        {notice.text}
      </Text>
      <Text size="xs" c="dark.4" component="time" dateTime={notice.created_at}>
        {dateTime(notice.created_at)}
      </Text>
    </>
  );
  const className = unread ? 'notification-row notification-row-unread' : 'notification-row';
  return notice.link ? (
    <Link to={notice.link} onClick={onOpen} className={className}>
      {body}
    </Link>
  ) : (
    <div className={className}>{body}</div>
  );
}

function BellIcon() {
  return (
    <svg width="20" height="20" viewBox="0 0 24 24" fill="none" aria-hidden="true" focusable="false">
      <path
        d="M6 9a6 6 0 1 1 12 0c0 4.5 1.5 6.5 2.5 7.5h-17C4.5 15.5 6 13.5 6 9Z"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinejoin="round"
      />
      <path d="M10 19.5a2 2 0 0 0 4 0" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
    </svg>
  );
}
