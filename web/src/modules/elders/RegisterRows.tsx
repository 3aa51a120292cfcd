/** The repeated rows of the registration form: categories (with start date and source document)
 * and family contacts. */
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { AutoComplete, Button, Col, DatePicker, Divider, Form, Input, Row, Select } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useLabels } from '../../kernel/meta';
import { PHONE } from './types';

export function CategoryRows() {
  const { t } = useTranslation();
  const labels = useLabels();
  return (
    <>
      <Divider orientation="left" plain>
        {t('elders.reg.categories')}
      </Divider>
      <Form.List name="categories">
        {(fields, { add, remove }, { errors }) => (
          <>
            {fields.map((f) => (
              <Row gutter={8} key={f.key} align="top" data-testid="reg-category-row">
                <Col xs={24} md={9}>
                  <Form.Item name={[f.name, 'category']} label={t('elders.reg.category')} rules={[{ required: true, message: t('common.required') }]}>
                    <Select
                      showSearch
                      optionFilterProp="label"
                      options={labels.categories.map((c) => ({ value: c.code, label: labels.category(c.code) }))}
                      data-testid="reg-category"
                    />
                  </Form.Item>
                </Col>
                <Col xs={12} md={6}>
                  <Form.Item name={[f.name, 'validFrom']} label={t('elders.reg.validFrom')} rules={[{ required: true, message: t('common.required') }]}>
                    <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
                  </Form.Item>
                </Col>
                <Col xs={10} md={7}>
                  <Form.Item name={[f.name, 'sourceDoc']} label={t('elders.reg.sourceDoc')} rules={[{ max: 100 }]}>
                    <Input maxLength={100} placeholder={t('elders.reg.sourceDocPlaceholder')} />
                  </Form.Item>
                </Col>
                <Col xs={2} md={2}>
                  <Form.Item label=" ">
                    <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('elders.reg.remove')} onClick={() => remove(f.name)} />
                  </Form.Item>
                </Col>
              </Row>
            ))}
            <Form.ErrorList errors={errors} />
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ validFrom: dayjs() })} data-testid="reg-add-category">
              {t('elders.reg.addCategory')}
            </Button>
          </>
        )}
      </Form.List>
    </>
  );
}

export function ContactRows() {
  const { t } = useTranslation();
  const relations = t('elders.reg.relations', { returnObjects: true }) as unknown as string[];
  return (
    <>
      <Divider orientation="left" plain>
        {t('elders.reg.contacts')}
      </Divider>
      <Form.List name="contacts">
        {(fields, { add, remove }, { errors }) => (
          <>
            {fields.map((f) => (
              <Row gutter={8} key={f.key} align="top">
                <Col xs={12} md={8}>
                  <Form.Item
                    name={[f.name, 'name']}
                    label={t('elders.reg.contactName')}
                    rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 50 }]}
                  >
                    <Input maxLength={50} />
                  </Form.Item>
                </Col>
                <Col xs={12} md={6}>
                  <Form.Item
                    name={[f.name, 'relation']}
                    label={t('elders.reg.relation')}
                    rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 20 }]}
                  >
                    <AutoComplete options={relations.map((r) => ({ value: r }))} filterOption={false} />
                  </Form.Item>
                </Col>
                <Col xs={22} md={8}>
                  <Form.Item name={[f.name, 'phone']} label={t('elders.reg.phone')} rules={[{ pattern: PHONE, message: t('elders.reg.phoneRule') }]}>
                    <Input maxLength={14} inputMode="tel" />
                  </Form.Item>
                </Col>
                <Col xs={2} md={2}>
                  <Form.Item label=" ">
                    <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('elders.reg.remove')} onClick={() => remove(f.name)} />
                  </Form.Item>
                </Col>
              </Row>
            ))}
            <Form.ErrorList errors={errors} />
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => add()} disabled={fields.length >= 10}>
              {t('elders.reg.addContact')}
            </Button>
          </>
        )}
      </Form.List>
    </>
  );
}
