// Not bundled: proves the types are real, not `any`. Each line must fail to type-check.
import { ApiKeyManager, ApiKeyTable } from '@nas-key-manager/components/react';

export const wrong = (
  <>
    {/* @ts-expect-error service must be an ApiKeyService */}
    <ApiKeyManager service={42} />
    {/* @ts-expect-error keys must be ApiKeyRow[] */}
    <ApiKeyTable keys={['backup']} />
    {/* @ts-expect-error the listener gets a NasKeyActionEvent, whose detail has no `secret` */}
    <ApiKeyManager onNasKeyAction={(event) => event.detail.secret} />
    {/* @ts-expect-error the raw tag's service is typed too */}
    <api-key-manager service="nas.local" />
    {/* @ts-expect-error the raw tag's event listener is typed */}
    <api-key-manager onnas-key-save={(event) => event.detail.bogus} />
    {/* @ts-expect-error a getter-only property is not a prop (React would throw setting it) */}
    <api-key-table visibleRows={[]} />
  </>
);
