{% snapshot members_snapshot %}

{{
    config(
        unique_key='member_id',
        strategy='timestamp',
        updated_at='updated_at',
        hard_deletes='invalidate'
    )
}}

select * from {{ source('loyalty', 'members') }}

{% endsnapshot %}
