import { Typography } from 'antd';
import type { ReactNode } from 'react';

/** Title row of a page: the title on the left, actions on the right, wrapping on phones. */
export function PageHeader({ title, sub, extra }: { title: ReactNode; sub?: ReactNode; extra?: ReactNode }) {
  return (
    <div className="yl-page-head">
      <div>
        <Typography.Title level={4} data-testid="page-title">
          {title}
        </Typography.Title>
        {sub && <Typography.Text type="secondary">{sub}</Typography.Text>}
      </div>
      {extra && <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>{extra}</div>}
    </div>
  );
}
