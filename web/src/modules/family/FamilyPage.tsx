/** 我的家人: what a family member sees — the elders linked to them, nothing else. */
import { useQuery } from '@tanstack/react-query';
import { Card, Col, Empty, Row, Spin, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { get } from '../../kernel/api';
import { PageHeader } from '../../kernel/components/PageHeader';
import { formatDate } from '../../kernel/format';
import { useLabels } from '../../kernel/meta';

interface FamilyElder {
  id: string;
  name: string;
  sex: 'M' | 'F';
  age: number;
  regionName: string | null;
  townshipName: string | null;
  phone: string | null;
  /** The signed-in account is this elder's own (老人本人账号). */
  self: boolean;
  status: string;
  categories: string[];
  ability: { standard: string; level: number; levelName: string; validUntil: string | null } | null;
}

export default function FamilyPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const q = useQuery({ queryKey: ['family-elders'], queryFn: () => get<{ items: FamilyElder[] }>('/api/v1/family/elders') });
  // On the elder's own account this is the elder's own record, not "my family".
  const self = q.data?.items.find((e) => e.self);
  return (
    <>
      <PageHeader title={self ? t('family.selfTitle', { name: self.name }) : t('family.title')} sub={self ? t('family.selfSub') : t('family.sub')} />
      {q.isLoading ? (
        <Spin />
      ) : !q.data?.items.length ? (
        <Card>
          <Empty description={t('family.none')} />
        </Card>
      ) : (
        <Row gutter={[16, 16]}>
          {q.data.items.map((e) => (
            <Col xs={24} md={12} key={e.id}>
              <Card data-testid={`family-elder-${e.id}`} title={<span style={{ fontSize: 20 }}>{e.name}</span>} extra={t('family.age', { age: e.age })}>
                <p>{[e.townshipName, e.regionName].filter(Boolean).join(' / ')}</p>
                <p>
                  {t('family.ability')}：
                  {e.ability ? (
                    <Tag color="blue">
                      {e.ability.levelName}（{e.ability.standard}，{t('family.validUntil', { date: formatDate(e.ability.validUntil) })}）
                    </Tag>
                  ) : (
                    <Tag>{t('family.noAbility')}</Tag>
                  )}
                </p>
                {e.categories.length > 0 && (
                  <p>
                    {t('family.categories')}：
                    {e.categories.map((c) => (
                      <Tag key={c}>{labels.category(c)}</Tag>
                    ))}
                  </p>
                )}
              </Card>
            </Col>
          ))}
        </Row>
      )}
    </>
  );
}
