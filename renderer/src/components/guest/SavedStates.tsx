// On a stopped guest's page: the save images `xl save` left for it, newest first, each with its
// date and size and a Restore button, so a saved guest is brought back where it was rather than
// booted afresh. Read when the guest stops or starts (its domid changes), not on every tick. An
// image the guest has run past (restored or started since, per the task log) is listed as out of
// date with no Restore button: its memory no longer fits the disks.
import { Button, List, ListItem } from '@patternfly/react-core';
import { Alert } from '../Alert';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Guest } from '../../../../electron/api/guests';
import type { SaveImage } from '../../../../electron/api/lifecycle';
import { toClientError, type ApiClientError } from '../../api/client';
import { useClient } from '../../api/context';
import { useStore } from '../../state/context';
import { ErrorAlert } from '../ErrorAlert';
import { formatMoment } from '../../format';
import { staleBecause } from './saveFreshness';
import { describeSaveImage } from './useLifecycle';

export function SavedStates({ hostId, guest }: { hostId: string; guest: Guest }) {
  const { t, i18n } = useTranslation();
  const client = useClient();
  const [images, setImages] = useState<SaveImage[]>([]);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ApiClientError | null>(null);
  const tasks = useStore((s) => s.tasks);
  const stopped = guest.domid === null && !guest.isControlDomain;
  useEffect(() => {
    if (!stopped) return setImages([]);
    let live = true;
    client.call('guests.saveImages', { hostId }).then(
      (all) => live && setImages(all.filter((i) => i.guest === guest.name)),
      // Listing is a convenience: a host without python3 still has Start and "Restore from file".
      () => live && setImages([]),
    );
    return () => {
      live = false;
    };
  }, [client, hostId, guest.name, stopped]);

  if (!stopped || !images.length) return null;
  const restore = async (path: string) => {
    setBusy(path);
    setError(null);
    try {
      await client.call('guests.restore', { hostId, path });
    } catch (x) {
      setError(toClientError(x));
    } finally {
      setBusy(null);
    }
  };
  return (
    <Alert
      variant="info"
      isInline
      title={images.length === 1 ? t('saves.title', { name: guest.name }) : t('saves.titleMany', { name: guest.name, count: images.length })}
    >
      {error && <ErrorAlert error={error} onClose={() => setError(null)} />}
      <p>{t('saves.body')}</p>
      <List isPlain aria-label={t('saves.listLabel', { name: guest.name })}>
        {images.map((img) => {
          const d = describeSaveImage(t, i18n.language, img);
          const stale = staleBecause(img, guest.name, hostId, tasks.values());
          if (stale) {
            const since = formatMoment(i18n.language, stale.endedAt ?? stale.startedAt);
            return (
              <ListItem key={img.path}>
                {t('saves.item', d)} <code>{img.path}</code>{' '}
                <strong>{t(stale.action === 'guest.restore' ? 'saves.staleRestored' : 'saves.staleStarted', { name: guest.name, date: since })}</strong>
              </ListItem>
            );
          }
          return (
            <ListItem key={img.path}>
              {t('saves.item', d)} <code>{img.path}</code>{' '}
              <Button
                variant="primary"
                size="sm"
                isLoading={busy === img.path}
                isDisabled={busy !== null}
                onClick={() => void restore(img.path)}
                aria-label={t('saves.restoreNamed', { name: guest.name, date: d.date })}
              >
                {t('saves.restore')}
              </Button>
            </ListItem>
          );
        })}
      </List>
    </Alert>
  );
}
