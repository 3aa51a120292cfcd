/** 行政区划: a lazily loaded tree from the user's own region, the chosen region's details, and
 * for county admins editing, adding sub-regions and the Excel import. */
import { ApartmentOutlined, EditOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { AutoComplete, Button, Card, Col, Descriptions, Empty, Input, Row, Skeleton, Tag, Tree, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../kernel/api';
import { useMe } from '../../kernel/auth';
import { LoadError } from '../../kernel/components/FullPage';
import { PageHeader } from '../../kernel/components/PageHeader';
import { SIGNIFICANT, type Region, type RegionDetail } from '../../kernel/types';
import { ImportDialog } from './ImportDialog';
import { RegionForm } from './RegionForm';
import { findNode, setChildren, toNode, type RegionNode } from './tree';

/** Children of a region, abolished ones included (shown with a tag). */
const listChildren = async (code: string) => (await get<{ items: Region[] }>('/api/v1/regions', { parent: code, includeAbolished: 'true' })).items;

export default function RegionsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const admin = me.role === 'county_admin';
  const [tree, setTree] = useState<RegionNode[]>([]);
  const [loadedKeys, setLoadedKeys] = useState<string[]>([]);
  const [expanded, setExpanded] = useState<string[]>([]);
  const [selected, setSelected] = useState<string>(me.regionCode);
  const [version, setVersion] = useState(0);
  const [form, setForm] = useState<{ mode: 'edit' | 'add'; region: RegionDetail } | null>(null);
  const [importing, setImporting] = useState(false);
  const [search, setSearch] = useState('');

  // The root is the user's own region; its children load at once.
  const [treeError, setTreeError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    setTreeError(null);
    void (async () => {
      try {
        const root = await get<RegionDetail>(`/api/v1/regions/${me.regionCode}`);
        const kids = await listChildren(root.code);
        if (!live) return;
        setTree(setChildren([toNode(root)], root.code, kids));
        setLoadedKeys([root.code]);
        setExpanded([root.code]);
      } catch (e) {
        if (live) setTreeError(e);
      }
    })();
    return () => {
      live = false;
    };
  }, [me.regionCode, version]);

  const loadNode = useCallback(async (code: string) => {
    const kids = await listChildren(code);
    setTree((prev) => setChildren(prev, code, kids));
    setLoadedKeys((prev) => (prev.includes(code) ? prev : [...prev, code]));
  }, []);

  const detail = useQuery({ queryKey: ['region', selected], queryFn: () => get<RegionDetail>(`/api/v1/regions/${selected}`) });
  const found = useQuery({
    queryKey: ['regions-search', search],
    queryFn: () => listByName(search, childPrefixOf(me.regionCode, me.regionPath.at(-1)?.level ?? 3)),
    enabled: search.trim().length > 0,
  });

  /** Opens the tree down to a region found by name. */
  const reveal = async (code: string) => {
    const r = await get<RegionDetail>(`/api/v1/regions/${code}`);
    const rootLevel = me.regionPath.at(-1)?.level ?? 3;
    const chain = r.path.filter((p) => p.level >= rootLevel && p.code !== code).map((p) => p.code);
    for (const c of chain) if (!loadedKeys.includes(c)) await loadNode(c);
    setExpanded((prev) => [...new Set([...prev, ...chain])]);
    setSelected(code);
  };

  const saved = async (r: Region, mode: 'edit' | 'add') => {
    setForm(null);
    await qc.invalidateQueries({ queryKey: ['region'] });
    const parent = mode === 'add' ? selected : r.parentCode;
    if (parent && findNode(tree, parent)) await loadNode(parent);
    if (mode === 'add') {
      setExpanded((prev) => [...new Set([...prev, selected])]);
      setSelected(r.code);
    }
  };

  const d = detail.data;
  const valid = d && (!d.validTo || d.validTo >= new Date().toISOString().slice(0, 10));
  return (
    <div data-testid="regions-page">
      <PageHeader
        title={t('regions.title')}
        sub={t('regions.sub', { region: me.regionPath.map((p) => p.name).join(' / ') })}
        extra={
          admin && (
            <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="regions-import">
              {t('regions.import')}
            </Button>
          )
        }
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={10} xl={9}>
          <Card
            size="small"
            title={
              <>
                <ApartmentOutlined /> {t('regions.tree')}
              </>
            }
          >
            <AutoComplete
              style={{ width: '100%', marginBottom: 12 }}
              options={(found.data ?? []).map((r) => ({ value: r.code, label: `${r.name}（${r.code}）` }))}
              onSearch={setSearch}
              onSelect={(code?: string) => code && void reveal(code)}
            >
              <Input.Search placeholder={t('regions.search')} allowClear />
            </AutoComplete>
            <div style={{ maxHeight: 560, overflow: 'auto' }}>
              {treeError ? (
                <LoadError error={treeError} onRetry={() => setVersion((v) => v + 1)} />
              ) : tree.length === 0 ? (
                <Skeleton active />
              ) : (
                <Tree<RegionNode>
                  treeData={tree}
                  loadData={(n) => loadNode(n.key)}
                  loadedKeys={loadedKeys}
                  expandedKeys={expanded}
                  onExpand={(keys) => setExpanded(keys as string[])}
                  selectedKeys={[selected]}
                  onSelect={(keys) => keys[0] && setSelected(String(keys[0]))}
                  showLine
                  blockNode
                  titleRender={(n) => (
                    <span data-testid={`region-node-${n.key}`}>
                      {n.region.name}{' '}
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {n.key}
                      </Typography.Text>
                      {n.region.validTo && n.region.validTo < new Date().toISOString().slice(0, 10) && (
                        <Tag style={{ marginLeft: 4 }}>{t('regions.abolished')}</Tag>
                      )}
                    </span>
                  )}
                  data-testid="regions-tree"
                />
              )}
            </div>
          </Card>
        </Col>
        <Col xs={24} lg={14} xl={15}>
          <Card
            size="small"
            title={t('regions.details')}
            extra={
              admin &&
              d && (
                <div style={{ display: 'flex', gap: 8 }}>
                  <Button size="small" icon={<EditOutlined />} onClick={() => setForm({ mode: 'edit', region: d })} data-testid="region-edit">
                    {t('regions.edit')}
                  </Button>
                  {d.level < 5 && (
                    <Button size="small" type="primary" icon={<PlusOutlined />} onClick={() => setForm({ mode: 'add', region: d })} data-testid="region-add">
                      {t('regions.addChild')}
                    </Button>
                  )}
                </div>
              )
            }
          >
            {detail.isError ? (
              <LoadError error={detail.error} onRetry={() => void detail.refetch()} />
            ) : !d ? (
              detail.isPending ? (
                <Skeleton active />
              ) : (
                <Empty description={t('regions.pickOne')} />
              )
            ) : (
              <Descriptions
                column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 2 }}
                size="small"
                bordered
                data-testid="region-details"
                items={[
                  { key: 'name', label: t('regions.name'), children: <strong>{d.name}</strong>, span: 'filled' },
                  { key: 'code', label: t('regions.code'), children: <span style={{ fontFamily: 'monospace' }}>{d.code}</span> },
                  { key: 'level', label: t('regions.level'), children: t(`region.level.${d.level}`) },
                  { key: 'kind', label: t('regions.kind'), children: d.kind ? t(`region.kind.${d.kind}`, d.kind) : '—' },
                  {
                    key: 'ur',
                    label: t('regions.urbanRural'),
                    children: d.urbanRuralCode ? `${d.urbanRuralCode} ${t(`regions.ur.${d.urbanRuralCode}`, '')}` : '—',
                  },
                  { key: 'from', label: t('regions.validFrom'), children: d.validFrom || '—' },
                  {
                    key: 'to',
                    label: t('regions.validTo'),
                    children: valid ? <Tag color="green">{d.validTo ?? t('regions.stillValid')}</Tag> : <Tag>{`${d.validTo} ${t('regions.abolished')}`}</Tag>,
                  },
                  { key: 'kids', label: t('regions.childCount'), children: d.childCount },
                  { key: 'path', label: t('regions.path'), children: d.path.map((p) => p.name).join(' / '), span: 'filled' },
                ]}
              />
            )}
          </Card>
        </Col>
      </Row>
      {form && <RegionForm mode={form.mode} region={form.region} onClose={() => setForm(null)} onSaved={(r) => void saved(r, form.mode)} />}
      {importing && <ImportDialog onClose={() => setImporting(false)} onImported={() => setVersion((v) => v + 1)} />}
    </div>
  );
}

/** Regions whose name contains q, inside the user's area. */
async function listByName(q: string, prefix: string) {
  return (await get<{ items: Region[] }>('/api/v1/regions', { q: q.trim() })).items.filter((r) => r.code.startsWith(prefix)).slice(0, 20);
}

function childPrefixOf(code: string, level: number) {
  return code.slice(0, SIGNIFICANT[level] ?? 12);
}
